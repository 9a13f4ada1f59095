-- Drives verdict-language-server from Neovim's own LSP client (0.7): attaches it to a C++ buffer,
-- lists the CodeLens, runs the file through the "verdict.run" command, waits for the diagnostics,
-- and writes what it saw as JSON to $VERDICT_NVIM_OUT. Run with: nvim --headless -u NONE -c 'luafile THIS'
local server = os.getenv('VERDICT_SERVER')
local source = os.getenv('VERDICT_SOURCE')
local out_path = os.getenv('VERDICT_NVIM_OUT')
local report = { lenses = {}, diagnostics = {}, errors = {} }

local function finish()
  local f = io.open(out_path, 'w')
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(source))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(source, ':h'),
    settings = { verdict = { limits = { timeMs = 2000, memoryMb = 256 } } },
    handlers = {
      ['workspace/configuration'] = function(_, params)
        local items = {}
        for i = 1, #params.items do items[i] = { limits = { timeMs = 2000, memoryMb = 256 } } end
        return items
      end,
    },
  })
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  vim.wait(10000, function() return client.initialized end, 50)

  local uri = vim.uri_from_bufnr(buf)
  local lens = client.request_sync('textDocument/codeLens', { textDocument = { uri = uri } }, 10000, buf)
  for _, l in ipairs((lens and lens.result) or {}) do
    table.insert(report.lenses, l.command and l.command.title or '')
  end

  local run = client.request_sync('workspace/executeCommand', { command = 'verdict.run', arguments = { uri } }, 120000, buf)
  report.status = run and run.result and run.result.status or (run and run.err and run.err.message) or 'no answer'

  vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(report.diagnostics, { line = d.lnum, col = d.col, severity = d.severity, message = d.message })
  end
  client.stop()
end)
if not ok then table.insert(report.errors, tostring(err)) end
finish()
