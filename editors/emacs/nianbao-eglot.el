;;; nianbao-eglot.el --- Check 政府信息公开工作年度报告 drafts with nianbao, through eglot  -*- lexical-binding: t; -*-

;; Put `nianbao' on your PATH (or write its absolute path below), then load this file from your
;; init file, or copy the forms into it:
;;
;;   (load "/path/to/nianbao/editors/emacs/nianbao-eglot.el")
;;
;; Emacs 29 and later have eglot built in.  On Emacs 28, install eglot first (M-x package-install
;; RET eglot, or Debian's `elpa-eglot').

;;; Code:

(require 'eglot)

;; Markdown and plain-text buffers talk to `nianbao lsp'.  The server only reports on documents
;; that are annual reports; other text is left alone.
(add-to-list 'eglot-server-programs
             '((markdown-mode gfm-mode text-mode)
               . ("nianbao" "lsp"
                  ;; Sent as initializationOptions: {"nianbao": {"lintOn": "type"}}.
                  ;; lintOn: "type" (as you type) or "save"; rules: {"NB206": "off"|"error"|"warning"|"info"};
                  ;; language: "zh" or "en".
                  :initializationOptions (:nianbao (:lintOn "type")))))

;; Settings changed later (for example per project, in .dir-locals.el) reach the server through
;; workspace/didChangeConfiguration:
;;
;;   ((nil . ((eglot-workspace-configuration
;;             . (:nianbao (:lintOn "save" :rules (:NB206 "off") :language "zh"))))))

(defun nianbao-eglot-maybe-start ()
  "Start eglot in Markdown buffers and in plain-text files named *.txt."
  (when (or (derived-mode-p 'markdown-mode)
            (and buffer-file-name (string-match-p "\\.txt\\'" buffer-file-name)))
    (eglot-ensure)))

;; markdown-mode and gfm-mode derive from text-mode, so this hook covers them too.
(add-hook 'text-mode-hook #'nianbao-eglot-maybe-start)

(provide 'nianbao-eglot)
;;; nianbao-eglot.el ends here
