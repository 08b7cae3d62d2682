-- nianbao for Neovim >= 0.8: check 政府信息公开工作年度报告 drafts as you type.
-- Put this file in ~/.config/nvim/plugin/ (or `require` it from init.lua). `nianbao` must be on PATH,
-- or set vim.g.nianbao_cmd = { "/path/to/nianbao", "lsp" } before it is loaded.
local settings = {
  nianbao = {
    lintOn = "type", -- "type" or "save"
    rules = {}, -- e.g. { NB206 = "off", NB104 = "warning" }
    -- language = "zh", -- "zh" or "en"; left out, the server follows the client's locale
  },
}

vim.api.nvim_create_autocmd("FileType", {
  pattern = { "markdown", "text" },
  group = vim.api.nvim_create_augroup("nianbao", { clear = true }),
  callback = function(args)
    vim.lsp.start({
      name = "nianbao",
      cmd = vim.g.nianbao_cmd or { "nianbao", "lsp" },
      -- One server per directory tree: the nearest project root, else the file's folder.
      root_dir = vim.fs.dirname(vim.fs.find({ ".git", "nianbao.toml" }, { upward = true, path = vim.fs.dirname(args.file) })[1])
        or vim.fs.dirname(args.file),
      init_options = settings,
      settings = settings,
    })
  end,
})
