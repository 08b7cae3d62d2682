-- End-to-end test of `nianbao lsp` with a client nobody here wrote: headless Neovim (0.7+).
--
-- Run by tests/lsp_nvim.rs as
--   nvim --headless --noplugin -u NONE -c "luafile tests/nvim/e2e.lua"
-- with NIANBAO_BIN (the server binary), NIANBAO_FILE (a copy of datong-eco-2023.txt) and
-- NIANBAO_RESULT (where to write PASS/FAIL and a log), NIANBAO_README (editors/neovim/README.md,
-- whose Neovim 0.7 configuration is what starts the client: vim.lsp.start_client and
-- vim.lsp.buf_attach_client from a FileType autocommand).

local bin = os.getenv("NIANBAO_BIN")
local file = os.getenv("NIANBAO_FILE")
local result_path = os.getenv("NIANBAO_RESULT")
local readme_path = os.getenv("NIANBAO_README")
local TIMEOUT = tonumber(os.getenv("NIANBAO_TIMEOUT_MS") or "20000")

local log = {}
local function note(message)
  table.insert(log, message)
end

local function finish(ok, message)
  local f = io.open(result_path, "w")
  if f then
    f:write((ok and "PASS" or "FAIL") .. "\n" .. message .. "\n" .. table.concat(log, "\n") .. "\n")
    f:close()
  end
  if ok then
    vim.cmd("qall!")
  else
    vim.cmd("cquit! 1")
  end
end

-- The latest publishDiagnostics per URI, as the server sent it.
local published = {}
local exit_code = nil

local function nb304_at(uri, line, character)
  local params = published[uri]
  if not params then
    return nil
  end
  for _, d in ipairs(params.diagnostics) do
    if d.code == "NB304" and d.range.start.line == line and d.range.start.character == character then
      return d
    end
  end
  return nil
end

local function main()
  assert(bin and file and result_path and readme_path, "NIANBAO_BIN, NIANBAO_FILE, NIANBAO_RESULT and NIANBAO_README must be set")
  note("nvim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch))

  -- The user's configuration, exactly as editors/neovim/README.md gives it for Neovim 0.7 (it
  -- runs `nianbao` from the PATH, which the test points at the built binary). The test only
  -- listens: to the diagnostics the client receives, and to the server's exit.
  local readme = table.concat(vim.fn.readfile(readme_path), "\n")
  local snippet = readme:match("## Neovim 0%.7[^\n]*\n.-```lua\n(.-)```")
  assert(snippet, "no Neovim 0.7 snippet in " .. readme_path)
  local on_publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
    published[result.uri] = result
    note(string.format("publishDiagnostics version %s: %d diagnostics", tostring(result.version), #result.diagnostics))
    return on_publish(err, result, ctx, config)
  end
  local start_client = vim.lsp.start_client
  vim.lsp.start_client = function(config)
    config.on_exit = function(code, signal)
      exit_code = code
      note("server exited with " .. tostring(code) .. " signal " .. tostring(signal))
    end
    return start_client(config)
  end
  assert(loadstring(snippet, "README snippet"))()

  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  -- A .txt file is `text` (the FileType event the snippet listens to).
  vim.api.nvim_buf_set_option(bufnr, "filetype", "text")
  local uri = vim.uri_from_bufnr(bufnr)
  local original = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

  local client_id
  vim.wait(TIMEOUT, function()
    for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if c.name == "nianbao" then
        client_id = c.id
      end
    end
    return client_id ~= nil
  end, 20)
  assert(client_id, "the README's configuration attached no nianbao client")

  -- NB304 on 1-based line 409, after the tab.
  local diagnostic
  vim.wait(TIMEOUT, function()
    diagnostic = nb304_at(uri, 408, 1)
    return diagnostic ~= nil
  end, 20)
  assert(diagnostic, "no NB304 diagnostic at 408:1")
  assert(diagnostic.source == "nianbao", "source " .. tostring(diagnostic.source))
  assert(diagnostic.severity == 1, "severity " .. tostring(diagnostic.severity))
  -- Neovim's own diagnostic store has it too.
  local stored = vim.diagnostic.get(bufnr, { lnum = 408 })
  assert(#stored >= 1, "vim.diagnostic has nothing on line 409")
  note("NB304 at 408:1: " .. diagnostic.message)

  local client = vim.lsp.get_client_by_id(client_id)
  local encoding = client.offset_encoding or "utf-16"
  note("offset encoding " .. encoding)

  -- Code actions on the cell.
  local params = {
    textDocument = { uri = uri },
    range = { start = { line = 408, character = 1 }, ["end"] = { line = 408, character = 1 } },
    context = { diagnostics = { diagnostic } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, TIMEOUT)
  assert(responses, "no codeAction response")
  local chosen
  for _, response in pairs(responses) do
    assert(not response.err, "codeAction error: " .. vim.inspect(response.err))
    for _, action in ipairs(response.result or {}) do
      note("code action: " .. action.title .. " (" .. tostring(action.kind) .. ")")
      if action.title == "将总计改为 1" then
        chosen = action
      end
    end
  end
  assert(chosen, "no 将总计改为 1 action")
  assert(chosen.isPreferred ~= true, "an unsafe fix is preferred")
  assert(chosen.edit and chosen.edit.documentChanges, "no documentChanges")
  vim.lsp.util.apply_workspace_edit(chosen.edit, encoding)

  -- Only the cell changed.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  assert(#lines == #original, "line count changed")
  for i = 1, #lines do
    if i == 409 then
      assert(lines[i] == "\t1", "line 409 is " .. vim.inspect(lines[i]))
    else
      assert(lines[i] == original[i], "line " .. i .. " changed")
    end
  end

  -- The edit is sent as didChange; the NB304 at that line disappears.
  local gone = vim.wait(TIMEOUT, function()
    local p = published[uri]
    return p ~= nil and p.version ~= nil and p.version >= vim.lsp.util.buf_versions[bufnr] and nb304_at(uri, 408, 1) == nil
  end, 20)
  assert(gone, "NB304 at 408:1 still reported after the fix")
  -- The other NB304 (line 414) is still there.
  local others = 0
  for _, d in ipairs(published[uri].diagnostics) do
    if d.code == "NB304" then
      others = others + 1
    end
  end
  assert(others >= 1, "the other NB304 vanished too")

  -- Hover and symbols through the real client.
  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover",
    { textDocument = { uri = uri }, position = { line = 413, character = 1 } }, TIMEOUT)
  local hovered = false
  for _, response in pairs(hover or {}) do
    if response.result and response.result.contents and response.result.contents.value:find("总计", 1, true) then
      hovered = true
    end
  end
  assert(hovered, "no hover on the total at 413:1")
  local symbols = vim.lsp.buf_request_sync(bufnr, "textDocument/documentSymbol", { textDocument = { uri = uri } }, TIMEOUT)
  local count = 0
  for _, response in pairs(symbols or {}) do
    count = count + #(response.result or {})
  end
  assert(count == 6, "expected 6 section symbols, got " .. count)

  -- Shutdown and exit: a clean exit.
  vim.lsp.stop_client(client_id)
  vim.wait(TIMEOUT, function()
    return exit_code ~= nil
  end, 20)
  assert(exit_code == 0, "server exit code " .. tostring(exit_code))
end

local ok, err = xpcall(main, debug.traceback)
if ok then
  finish(true, "all checks passed")
else
  finish(false, tostring(err))
end
