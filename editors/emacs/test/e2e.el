;;; e2e.el --- nianbao in a real Emacs: eglot, flymake, a code action  -*- lexical-binding: t; -*-

;; Emacs 28 in batch mode, with Debian's elpa-eglot, loading editors/emacs/nianbao-eglot.el as a
;; user's init file would, opens a copy of the 大同 2023 seed report with the built server, checks
;; that the NB304 diagnostics arrive at the right places (line 409 and 414, after the tab: the
;; cell holding the wrong 总计), applies the "将总计改为 1" code action and sees that diagnostic go.
;;
;;   emacs -Q --batch -l editors/emacs/test/e2e.el
;;
;; Env: NIANBAO_BIN (default <repo>/target/debug/nianbao).  Prints PASS/FAIL lines and
;; "[emacs] N passed, M failed"; exits 0 when all passed, 1 when one failed, 77 when it cannot run
;; (no eglot, no server binary), after printing "SKIPPED: <why>".

;;; Code:

(require 'cl-lib)

(defvar nianbao-e2e-root
  (expand-file-name "../../.." (file-name-directory (or load-file-name buffer-file-name))))
(defvar nianbao-e2e-results nil)
(defvar nianbao-e2e-start (float-time))

(defun nianbao-e2e-log (fmt &rest args)
  (princ (format "[emacs +%.1fs] %s\n" (- (float-time) nianbao-e2e-start) (apply #'format fmt args))))

(defun nianbao-e2e-skip (why)
  (princ (format "SKIPPED: Emacs eglot test: %s\n" why))
  (kill-emacs 77))

;; `emacs -Q' skips Debian's site start-up, which is what puts elpa-* packages on the load path:
;; add eglot and the newer project/xref/seq it needs ourselves, before the built-in versions.
(dolist (pkg '("eglot" "project" "xref" "seq" "jsonrpc" "flymake" "eldoc" "external-completion"))
  (dolist (dir (file-expand-wildcards (format "/usr/share/emacs/site-lisp/elpa/%s-[0-9]*" pkg)))
    (add-to-list 'load-path dir)))
(unless (require 'eglot nil t)
  (nianbao-e2e-skip "eglot is not installed (Debian: apt-get install elpa-eglot)"))

(defvar nianbao-e2e-bin
  (let ((env (getenv "NIANBAO_BIN")))
    (expand-file-name (if (and env (not (string= env ""))) env
                        (expand-file-name "target/debug/nianbao" nianbao-e2e-root)))))
(unless (file-executable-p nianbao-e2e-bin)
  (nianbao-e2e-skip (format "no server binary at %s (cargo build)" nianbao-e2e-bin)))

;; The user's configuration, exactly as documented; `nianbao' is found on PATH.
(setenv "PATH" (concat (file-name-directory nianbao-e2e-bin) path-separator (getenv "PATH")))
(add-to-list 'exec-path (file-name-directory nianbao-e2e-bin))
(load (expand-file-name "editors/emacs/nianbao-eglot.el" nianbao-e2e-root) nil t)

(defmacro nianbao-e2e-case (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (push (cons ,name t) nianbao-e2e-results)
              (princ (format "PASS emacs-%s\n" ,name)))
     (error
      (push (cons ,name nil) nianbao-e2e-results)
      (princ (format "FAIL emacs-%s: %s\n" ,name (error-message-string err))))))

(defun nianbao-e2e-wait (what pred &optional timeout)
  "Process events until PRED is non-nil; signal an error after TIMEOUT seconds."
  (let ((end (+ (float-time) (or timeout 30))) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05))
    (or value (error "Timed out waiting for %s" what))))

(defun nianbao-e2e-lsp-code (diag)
  (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag)))))
    (and lsp (plist-get lsp :code))))

(defun nianbao-e2e-diags (code)
  "Flymake's current diagnostics with CODE, as (LINE COLUMN DIAG), LINE 1-based, COLUMN in chars."
  (flymake-start)
  (cl-loop for d in (flymake-diagnostics)
           when (equal (nianbao-e2e-lsp-code d) code)
           collect (save-excursion
                     (goto-char (flymake-diagnostic-beg d))
                     (list (line-number-at-pos) (- (point) (line-beginning-position)) d))))

(let* ((work (make-temp-file "nianbao-emacs-" t))
       (file (expand-file-name "datong-eco-2023.txt" work))
       (buf nil) (server nil))
  (copy-file (expand-file-name "tests/corpus/datong-eco-2023.txt" nianbao-e2e-root) file)
  (unwind-protect
      (progn
        (nianbao-e2e-case "connect"
          (setq buf (find-file-noselect file))
          (set-buffer buf)
          (unless (eq major-mode 'text-mode) (error "expected text-mode, got %s" major-mode))
          ;; eglot-ensure (from the config's hook) connects on the next command: run it.
          (run-hooks 'post-command-hook)
          (setq server (nianbao-e2e-wait "eglot to connect"
                                         (lambda () (with-current-buffer buf (eglot-current-server)))))
          (nianbao-e2e-wait "the server to initialize"
                            (lambda () (with-current-buffer buf
                                         (and (eglot--capabilities server) eglot--managed-mode))))
          (nianbao-e2e-log "connected: %s, pid %s" (jsonrpc-name server)
                           (process-id (jsonrpc--process server))))

        (nianbao-e2e-case "diagnostics"
          (with-current-buffer buf
            (let ((found (nianbao-e2e-wait "NB304 diagnostics"
                                           (lambda () (let ((d (nianbao-e2e-diags "NB304")))
                                                        (and (>= (length d) 2) d))))))
              (dolist (d found)
                (nianbao-e2e-log "NB304 at %d:%d %s" (nth 0 d) (nth 1 d)
                                 (flymake-diagnostic-text (nth 2 d))))
              (unless (cl-find-if (lambda (d) (and (= (nth 0 d) 409) (= (nth 1 d) 1))) found)
                (error "no NB304 at line 409, column 1 (after the tab)"))
              (unless (cl-find-if (lambda (d) (and (= (nth 0 d) 414) (= (nth 1 d) 1))) found)
                (error "no NB304 at line 414, column 1"))
              (unless (eq (flymake-diagnostic-type (nth 2 (car found))) 'eglot-error)
                (error "NB304 is not an error: %s" (flymake-diagnostic-type (nth 2 (car found))))))))

        (nianbao-e2e-case "code-action"
          (with-current-buffer buf
            (goto-char (point-min))
            (forward-line 408)
            (forward-char 1)
            (let* ((beg (point))
                   (actions (eglot-code-actions beg (1+ beg)))
                   (titles (mapcar (lambda (a) (plist-get a :title)) actions))
                   (fix (cl-find-if (lambda (a) (string-match-p "将总计改为 1" (plist-get a :title))) actions)))
              (nianbao-e2e-log "code actions at 409:1: %S" titles)
              (unless fix (error "no \"将总计改为 1\" among %S" titles))
              ;; What choosing it from M-x eglot-code-actions does.
              (eglot--read-execute-code-action (list fix) server "quickfix")
              (let ((line (buffer-substring (line-beginning-position) (line-end-position))))
                (unless (string= line "\t1") (error "line 409 reads %S after the fix" line)))
              ;; eglot sends the change from an idle timer, and batch Emacs is never idle.
              (eglot--signal-textDocument/didChange)
              (nianbao-e2e-wait "the NB304 on line 409 to go (414 stays)"
                                (lambda ()
                                  (let ((d (nianbao-e2e-diags "NB304")))
                                    (and (not (cl-find 409 d :key #'car)) (cl-find 414 d :key #'car))))
                                20)
              (nianbao-e2e-log "after the fix: NB304 only on %S" (mapcar #'car (nianbao-e2e-diags "NB304")))))))
    (when (and server (jsonrpc-running-p server))
      (ignore-errors (eglot-shutdown server nil 5)))
    (when buf (with-current-buffer buf (set-buffer-modified-p nil)) (kill-buffer buf))
    (delete-directory work t)))

(let* ((passed (cl-count-if #'cdr nianbao-e2e-results))
       (failed (- (length nianbao-e2e-results) passed)))
  (princ (format "[emacs] %d passed, %d failed\n" passed failed))
  (kill-emacs (if (= failed 0) 0 1)))
;;; e2e.el ends here
