-- The harness the headless Neovim tests share (e2e.lua, sources.lua, desk.lua): TAP-like
-- checks, assertions, files, the README's `e2e:` blocks, and copydesk's diagnostics and code
-- actions fetched and applied the way Neovim's own client does.
--
--   local h = dofile(vim.fs.joinpath(vim.fs.dirname(script), 'harness.lua'))

local uv = vim.uv or vim.loop
local here = vim.fs.dirname(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p'))
local repo = vim.fn.fnamemodify(here, ':h:h:h')

local function out(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end
local passed, failed = 0, 0
--- Run one check. `needs`, if given, is the result of an earlier check this one builds on.
local function check(name, fn, needs)
  if needs == false then
    failed = failed + 1
    out('not ok - ' .. name .. ' (not run: an earlier check it needs failed)')
    return false
  end
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out('ok - ' .. name)
  else
    failed = failed + 1
    out('not ok - ' .. name)
    out('  ' .. tostring(err):gsub('\n', '\n  '))
  end
  return ok
end

local function eq(want, got, what)
  if not vim.deep_equal(want, got) then
    error(('%s:\n  want %s\n  got  %s'):format(what or 'value', vim.inspect(want), vim.inspect(got)), 2)
  end
end

local function truthy(v, what)
  if not v then
    error(what, 2)
  end
  return v
end

local function read(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('*a')
  f:close()
  return s
end

local function write(path, s)
  local f = assert(io.open(path, 'wb'))
  f:write(s)
  f:close()
end

--- A fresh workspace folder with a `.git` marker; returns its real path.
local function workspace()
  local dir = vim.fn.tempname()
  vim.fn.mkdir(vim.fs.joinpath(dir, '.git'), 'p')
  return uv.fs_realpath(dir)
end

--- The README's `<!-- e2e:NAME -->` code block, word for word.
local readme = read(vim.fs.joinpath(repo, 'editors', 'nvim', 'README.md'))
local function readme_block(name)
  local code = readme:match('<!%-%- e2e:' .. name .. '[^\n]*%-%->\n%s*```lua\n(.-)\n%s*```')
  return truthy(code, 'README.md has no e2e:' .. name .. ' block')
end
local function run_readme_block(name)
  local code = readme_block(name):gsub('/path/to/copydesk', (repo:gsub('%%', '%%%%')))
  assert(loadstring(code, '=README.md e2e:' .. name))()
end

local function copydesk_client(buf)
  local ok = vim.wait(10000, function()
    local c = vim.lsp.get_clients({ bufnr = buf, name = 'copydesk' })[1]
    return c ~= nil and c.initialized
  end, 20)
  truthy(ok, 'copydesk did not attach to ' .. vim.api.nvim_buf_get_name(buf))
  return vim.lsp.get_clients({ bufnr = buf, name = 'copydesk' })[1]
end

--- copydesk's diagnostics in buf, sorted by position.
local function diagnostics(buf, code)
  local ds = vim.tbl_filter(function(d)
    return d.source == 'copydesk' and (code == nil or d.code == code)
  end, vim.diagnostic.get(buf))
  table.sort(ds, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return ds
end

--- Wait until `pred(diagnostics)` holds for the current buffer text; returns them.
local function wait_diagnostics(buf, pred, what, timeout)
  local ds
  local ok = vim.wait(timeout or 10000, function()
    ds = diagnostics(buf)
    return pred(ds)
  end, 20)
  if not ok then
    local shown = vim.tbl_map(function(d)
      return ('%d:%d-%d:%d %s %s'):format(d.lnum, d.col, d.end_lnum, d.end_col, d.code, d.message)
    end, ds)
    error(('timed out waiting for %s; diagnostics now: %s'):format(what, vim.inspect(shown)), 2)
  end
  return ds
end

local function count(n)
  return function(ds)
    return #ds == n
  end
end

local function lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

--- The code actions copydesk offers for diagnostic d, fetched as Neovim's client does.
local function code_actions(buf, client, d, only)
  local lsp_d = truthy(d.user_data and d.user_data.lsp, 'diagnostic has no user_data.lsp')
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = lsp_d.range,
    context = { diagnostics = { lsp_d }, only = only, triggerKind = 1 },
  }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000)
  local r = truthy(res and res[client.id], 'no answer to textDocument/codeAction')
  if r.err then
    error('textDocument/codeAction failed: ' .. vim.inspect(r.err))
  end
  return r.result or {}
end

--- Apply a code action the way `vim.lsp.buf.code_action()` does: resolve it if it has no
--- edit, apply the edit, then run its command. A command must be one the server executes
--- itself (listed in its executeCommandProvider): Neovim has no client-side commands for us.
local function apply(buf, client, action)
  if not action.edit and client.server_capabilities.codeActionProvider.resolveProvider then
    local res = client:request_sync('codeAction/resolve', action, 5000, buf)
    action = truthy(res and res.result, 'codeAction/resolve failed: ' .. vim.inspect(res))
  end
  if action.command then
    local server_cmds = vim.tbl_get(client.server_capabilities, 'executeCommandProvider', 'commands') or {}
    truthy(
      vim.list_contains(server_cmds, action.command.command),
      ('action %q needs client-side command %q'):format(action.title, action.command.command)
    )
  end
  truthy(action.edit or action.command, ('action %q does nothing'):format(action.title))
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
  if action.command then
    local done = false
    client:exec_cmd(action.command, { bufnr = buf }, function()
      done = true
    end)
    truthy(vim.wait(5000, function()
      return done
    end, 10), 'workspace/executeCommand got no answer')
  end
end

local function find_action(actions, pred, what)
  for _, a in ipairs(actions) do
    if pred(a) then
      return a
    end
  end
  local titles = vim.tbl_map(function(a)
    return a.title
  end, actions)
  error(('no %s among the code actions %s'):format(what, vim.inspect(titles)), 2)
end

--- Print the summary, stop the clients and exit (non-zero on any failure).
local function finish()
  out(('%d passed, %d failed'):format(passed, failed))
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop(true)
  end
  os.exit(failed == 0 and 0 or 1)
end

--- The README tells users to put `copydesk` on PATH; here that is target/release (or the
--- folder of $COPYDESK_BIN).
local bin_dir = vim.env.COPYDESK_BIN and vim.fs.dirname(vim.env.COPYDESK_BIN) or vim.fs.joinpath(repo, 'target', 'release')
vim.env.PATH = bin_dir .. ':' .. vim.env.PATH

return {
  repo = repo,
  readme = readme,
  --- How many checks have failed so far.
  failures = function()
    return failed
  end,
  bin_dir = bin_dir,
  out = out,
  finish = finish,
  check = check,
  eq = eq,
  truthy = truthy,
  read = read,
  write = write,
  workspace = workspace,
  readme_block = readme_block,
  run_readme_block = run_readme_block,
  copydesk_client = copydesk_client,
  diagnostics = diagnostics,
  wait_diagnostics = wait_diagnostics,
  count = count,
  lines = lines,
  code_actions = code_actions,
  apply = apply,
  find_action = find_action,
}
