-- End-to-end test of editors/nvim in a real, headless Neovim (0.11+).
--
--   XDG_STATE_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d) PATH=$PWD/target/release:$PATH \
--     nvim --headless --clean -l editors/nvim/test/e2e.lua [--articles DIR]
--
-- It configures Neovim by running the README's `e2e:` code blocks word for word (only the
-- placeholder `/path/to/copydesk` becomes this checkout), then drives the server the way a
-- user does: opens files, waits for diagnostics, asks for code actions and applies them with
-- Neovim's own functions. `--articles` defaults to `../shared/eval/articles` next to the
-- repository. Prints one line per check and ends with "N passed, N failed"; exits non-zero on
-- any failure.

local uv = vim.uv or vim.loop
local script = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')
local repo = vim.fn.fnamemodify(script, ':h:h:h:h')

local articles = vim.fs.joinpath(vim.fn.fnamemodify(repo, ':h'), 'shared', 'eval', 'articles')
do
  local i = 1
  while arg[i] do
    if arg[i] == '--articles' then
      articles = vim.fn.fnamemodify(arg[i + 1], ':p'):gsub('/$', '')
      i = i + 2
    else
      error('unknown argument ' .. arg[i])
    end
  end
end

local h = dofile(vim.fs.joinpath(vim.fs.dirname(script), 'harness.lua'))
local out, check, eq, truthy, read, write, workspace = h.out, h.check, h.eq, h.truthy, h.read, h.write, h.workspace
local readme_block, run_readme_block, copydesk_client = h.readme_block, h.run_readme_block, h.copydesk_client
local diagnostics, wait_diagnostics, count, lines = h.diagnostics, h.wait_diagnostics, h.count, h.lines
local code_actions, apply, find_action = h.code_actions, h.apply, h.find_action
local readme = h.readme

if not (vim.env.XDG_STATE_HOME and vim.env.XDG_DATA_HOME) then
  out('set XDG_STATE_HOME and XDG_DATA_HOME to temporary directories (Neovim writes lsp.log there)')
  os.exit(2)
end

-- What the server says to the user, for the "no warnings about our own config" check.
local server_messages = {}
for _, method in ipairs({ 'window/showMessage', 'window/logMessage' }) do
  local orig = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, params, ctx, config)
    table.insert(server_messages, { method = method, type = params.type, message = params.message })
    if method == 'window/logMessage' then
      return orig(err, params, ctx, config)
    end
  end
end

-- ---------------------------------------------------------------------------------------------
-- Setup, as the README tells users

-- The README tells users to put `copydesk` on PATH; the harness put target/release (or the
-- folder of $COPYDESK_BIN) there.
local bin_dir = h.bin_dir

check('copydesk is on PATH (' .. bin_dir .. ')', function()
  truthy(vim.fn.executable('copydesk') == 1, 'no copydesk binary: run `cargo build --release`')
end)

check('the README nvim-lspconfig block compiles (running it needs the plugin)', function()
  assert(loadstring(readme_block('lspconfig'), '=README.md e2e:lspconfig'))
end)

check('the README setup blocks run as written', function()
  run_readme_block('setup')
  run_readme_block('settings')
  eq({ 'copydesk', 'lsp' }, vim.lsp.config.copydesk.cmd, 'cmd')
  eq({ 'markdown', 'text' }, vim.lsp.config.copydesk.filetypes, 'filetypes')
  eq({ 'copydesk.toml', '.git' }, vim.lsp.config.copydesk.root_markers, 'root_markers')
  eq('information', vim.lsp.config.copydesk.settings.copydesk.nameSpelling.severity, 'merged setting')
  eq('warning', vim.lsp.config.copydesk.settings.copydesk.duplicateParagraph.severity, 'shipped setting')
end)

-- ---------------------------------------------------------------------------------------------
-- The seed article: five duplicated paragraphs

local seed = vim.fs.joinpath(articles, '00-cyber-dialogue.txt')
local ws1 = workspace()
local seed_copy = vim.fs.joinpath(ws1, '00-cyber-dialogue.txt')
local seed_lines = vim.split(read(seed), '\n', { plain = true })
local buf, client

local seed_ok = check('open the seed article; copydesk attaches with UTF-8 positions', function()
  write(seed_copy, read(seed))
  vim.cmd.edit(vim.fn.fnameescape(seed_copy))
  buf = vim.api.nvim_get_current_buf()
  eq('text', vim.bo[buf].filetype, 'filetype')
  client = copydesk_client(buf)
  eq(ws1, client.root_dir, 'root_dir (the folder with .git)')
  eq('utf-8', client.offset_encoding, 'negotiated position encoding')
  eq(14, #lines(buf), 'lines in the seed')
end)

seed_ok = check('five duplicate-paragraph diagnostics on lines 10-14, each the whole line', function()
  local ds = wait_diagnostics(buf, count(5), 'five diagnostics')
  for i, d in ipairs(ds) do
    local lnum = 8 + i -- 0-based 9..13
    local line = seed_lines[lnum + 1]
    eq('duplicate-paragraph', d.code, 'code')
    eq(vim.diagnostic.severity.WARN, d.severity, 'severity')
    eq({ lnum, 0, lnum, #line }, { d.lnum, d.col, d.end_lnum, d.end_col }, 'range of diagnostic ' .. i)
    eq(('Duplicate of the paragraph at line %d'):format(lnum - 4), d.message, 'message')
    local related = vim.tbl_get(d, 'user_data', 'lsp', 'relatedInformation') or {}
    truthy(#related > 0, 'no relatedInformation')
    eq(lnum - 5, related[1].location.range.start.line, 'relatedInformation points at the original')
  end
end, seed_ok)

seed_ok = check('the preferred quick fix deletes the duplicate paragraph', function()
  local ds = diagnostics(buf)
  local actions = code_actions(buf, client, ds[1], { 'quickfix' })
  local fix = find_action(actions, function(a)
    return a.isPreferred
  end, 'preferred action')
  eq('Delete duplicate paragraph', fix.title, 'preferred title')
  eq('quickfix', fix.kind, 'kind')
  apply(buf, client, fix)
  local want = vim.deepcopy(seed_lines)
  table.remove(want, 10)
  eq(want, lines(buf), 'buffer after the fix')
  ds = wait_diagnostics(buf, count(4), 'four diagnostics after the fix')
  eq({ 9, 10, 11, 12 }, vim.tbl_map(function(d)
    return d.lnum
  end, ds), 'lines still flagged')
end, seed_ok)

check('"Delete the 4 repeated paragraphs" leaves the article as written once', function()
  local ds = diagnostics(buf)
  local actions = code_actions(buf, client, ds[1], { 'quickfix' })
  local fix = find_action(actions, function(a)
    return a.title:match('^Delete the 4 repeated paragraphs') ~= nil
  end, '"Delete the 4 repeated paragraphs (lines 10–13)"')
  eq('Delete the 4 repeated paragraphs (lines 10–13)', fix.title, 'title')
  apply(buf, client, fix)
  eq(vim.list_slice(seed_lines, 1, 9), lines(buf), 'buffer after the fix')
  wait_diagnostics(buf, count(0), 'no diagnostics')
end, seed_ok)

check('the README fix-all command (source.fixAll) removes all five copies at once', function()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, seed_lines)
  wait_diagnostics(buf, count(5), 'five diagnostics again')
  -- As a user types it (README: "fix all safe ones").
  vim.lsp.buf.code_action({ context = { only = { 'source.fixAll' } }, apply = true })
  truthy(vim.wait(5000, function()
    return #lines(buf) == 9
  end, 20), 'buffer not fixed: ' .. #lines(buf) .. ' lines')
  eq(vim.list_slice(seed_lines, 1, 9), lines(buf), 'buffer after fix-all')
  wait_diagnostics(buf, count(0), 'no diagnostics')
end, seed_ok)

-- ---------------------------------------------------------------------------------------------
-- A name spelled two ways; "Accept" writes copydesk.toml

local ws2 = workspace()
local draft = vim.fs.joinpath(ws2, 'council.md')
local toml = vim.fs.joinpath(ws2, 'copydesk.toml')
local draft_text = table.concat({
  '# Harbour budget',
  '',
  'Councillor Ana Ferreira opened the session on the new budget for the harbour district.',
  '',
  'Ferreira said the dredging plan would take three years. Defense Secretary Chuck Hagel agreed.',
  '',
  'Opposition members asked Fereira why the eastern quay had been left out of the first year.',
  '',
  'Hagel said the vote would follow next week, and Hagel told reporters so after the meeting.',
  '',
  'Ferreira and Hagel left together. Hagle went home, and Hagle did not answer questions.',
  '',
}, '\n')
local buf2, client2

--- The name-spelling diagnostics on `word` in buf.
local function on_word(buf, word)
  return vim.tbl_filter(function(d)
    local l = lines(buf)[d.lnum + 1] or ''
    return d.code == 'name-spelling' and l:sub(d.col + 1, d.end_col) == word
  end, diagnostics(buf))
end

--- Wait until `word` has n name-spelling diagnostics in buf.
local function wait_word(buf, word, n, what, timeout)
  local ok = vim.wait(timeout or 5000, function()
    return #on_word(buf, word) == n
  end, 20)
  if not ok then
    error(('timed out waiting for %s: %d diagnostics on %s'):format(what, #on_word(buf, word), word), 2)
  end
end

--- `copydesk check` on the draft: 2 means it could not read its settings.
local function cli_status(path)
  vim.fn.system({ 'copydesk', 'check', path })
  return vim.v.shell_error
end

local names_ok = check('a draft with "Fereira" and "Hagle" (twice) among the right spellings: three diagnostics', function()
  write(draft, draft_text)
  vim.cmd.edit(vim.fn.fnameescape(draft))
  buf2 = vim.api.nvim_get_current_buf()
  eq('markdown', vim.bo[buf2].filetype, 'filetype')
  client2 = copydesk_client(buf2)
  eq(ws2, client2.root_dir, 'root_dir')
  local ds = wait_diagnostics(buf2, count(3), 'three diagnostics')
  eq({ 'name-spelling', 'name-spelling', 'name-spelling' }, vim.tbl_map(function(d)
    return d.code
  end, ds), 'codes')
  local d = on_word(buf2, 'Fereira')[1]
  local col = lines(buf2)[7]:find('Fereira', 1, true) - 1
  eq({ 6, col, 6, col + #'Fereira' }, { d.lnum, d.col, d.end_lnum, d.end_col }, 'range')
end)

check('their severity is the one the README settings block set (information)', function()
  -- Neovim pulls on open and again only when the text changes: what it shows must come to
  -- use the settings it sent, without an edit.
  wait_diagnostics(buf2, function(ds)
    return #ds == 3 and ds[1].severity == vim.diagnostic.severity.INFO
  end, 'severity information', 3000)
end, names_ok)

check('K (hover) over "Ferreira": a short list of both spellings, no table', function()
  local row = 4 -- 'Ferreira said the dredging plan ...'
  local params = vim.lsp.util.make_position_params(0, client2.offset_encoding)
  params.position = { line = row, character = 2 }
  local res = vim.lsp.buf_request_sync(buf2, 'textDocument/hover', params, 5000)
  local r = truthy(res and res[client2.id], 'no answer to textDocument/hover')
  local hover = truthy(r.result, 'no hover over "Ferreira"')
  local text = table.concat(vim.lsp.util.convert_input_to_markdown_lines(hover.contents), '\n')
  truthy(text:find('**Ana Ferreira**', 1, true), 'hover text:\n' .. text)
  truthy(text:find('- ‘Ferreira’ ✓: 3 uses, lines 3, 5, 11', 1, true), 'hover text:\n' .. text)
  truthy(text:find('- ‘Fereira’: 1 use, line 7', 1, true), 'hover text:\n' .. text)
  truthy(not text:find('|', 1, true), 'a table in the hover:\n' .. text)
  -- A first name is the person.
  params.position = { line = 2, character = #'Councillor A' }
  res = vim.lsp.buf_request_sync(buf2, 'textDocument/hover', params, 5000)
  local first = table.concat(vim.lsp.util.convert_input_to_markdown_lines(res[client2.id].result.contents), '\n')
  truthy(first:find('**Ana Ferreira**', 1, true), 'hover over "Ana":\n' .. first)
end, names_ok)

check('on the line with two "Hagle", each fix is listed once, the one under the cursor first', function()
  -- What `gra` sends: every diagnostic of the cursor's line, the range at the cursor.
  local l = lines(buf2)[11]
  local second = select(1, l:find('Hagle', l:find('Hagle', 1, true) + 1, true)) - 1
  local first = l:find('Hagle', 1, true) - 1
  vim.api.nvim_win_set_cursor(0, { 11, second + 2 })
  local on_line = vim.tbl_map(function(d)
    return d.user_data.lsp
  end, vim.diagnostic.get(buf2, { lnum = 10 }))
  eq(2, #on_line, 'diagnostics on the line')
  local params = vim.lsp.util.make_range_params(0, client2.offset_encoding)
  params.context = { diagnostics = on_line, triggerKind = 1 }
  local res = vim.lsp.buf_request_sync(buf2, 'textDocument/codeAction', params, 5000)
  local titles = vim.tbl_map(function(a)
    return a.title
  end, res[client2.id].result or {})
  eq({
    ('Change to ‘Hagel’ (line 11, column %d)'):format(second + 1),
    'Change all 2 ‘Hagle’ to ‘Hagel’',
    'Accept ‘Hagle’ as a different name',
    ('Change to ‘Hagel’ (line 11, column %d)'):format(first + 1),
  }, titles, 'code action titles')
end, names_ok)

names_ok = check('"Accept" two names before any save: copydesk.toml holds both, parses, and CI still runs', function()
  -- Both menus shown before either is chosen, as a user does.
  local accepts = {}
  for _, name in ipairs({ 'Fereira', 'Hagle' }) do
    local d = truthy(on_word(buf2, name)[1], 'no diagnostic on ' .. name)
    local actions = code_actions(buf2, client2, d, { 'quickfix' })
    table.insert(accepts, find_action(actions, function(a)
      return a.title == ('Accept ‘%s’ as a different name'):format(name)
    end, '"Accept ‘' .. name .. '’ as a different name"'))
  end
  for _, a in ipairs(accepts) do
    apply(buf2, client2, a)
  end
  local written = read(toml)
  eq('[names]\naccept = ["Fereira", "Hagle"]\n', written, 'copydesk.toml on disk')
  -- No buffer holds the file, modified or hidden: `:wqa` has nothing to complain about.
  eq({}, vim.tbl_filter(function(n)
    return n:match('copydesk%.toml$') ~= nil
  end, vim.tbl_map(function(b)
    return b.name
  end, vim.fn.getbufinfo({ bufmodified = 1 }))), 'modified copydesk.toml buffers')
  eq(-1, vim.fn.bufnr(toml), 'a buffer for copydesk.toml')
  eq(draft_text, table.concat(lines(buf2), '\n') .. '\n', 'the draft is unchanged')
  eq(0, cli_status(draft), '`copydesk check` exit status with this copydesk.toml')
end, names_ok)

check('then the diagnostics go away, with no edit to the draft and no save', function()
  wait_diagnostics(buf2, count(0), 'the name-spelling diagnostics to go away', 5000)
end, names_ok)

check('editing copydesk.toml in Neovim (:edit, change, :write) takes effect without a restart', function()
  vim.cmd.edit(vim.fn.fnameescape(toml))
  local tbuf = vim.api.nvim_get_current_buf()
  eq(0, #vim.lsp.get_clients({ bufnr = tbuf }), 'clients attached to copydesk.toml')
  vim.api.nvim_buf_set_lines(tbuf, 0, -1, false, { '# house style', '[names]', 'accept = ["Fereira"]  # Hagle is wrong' })
  vim.cmd('silent write')
  vim.cmd.buffer(buf2)
  wait_word(buf2, 'Hagle', 2, '"Hagle" flagged again after :write', 3000)
  eq(0, #on_word(buf2, 'Fereira'), 'Fereira still accepted')
end, names_ok)

check('copydesk.toml changed by another program (git pull) takes effect without a restart', function()
  write(toml, '[names]\naccept = ["Hagle"]\n')
  wait_word(buf2, 'Fereira', 1, '"Fereira" flagged again', 3000)
  eq(0, #on_word(buf2, 'Hagle'), 'Hagle accepted')
  os.remove(toml)
  wait_diagnostics(buf2, count(3), 'all three back once the file is gone', 3000)
  -- Put back what the earlier checks wrote, for the next one.
  write(toml, '[names]\naccept = ["Fereira", "Hagle"]\n')
  wait_diagnostics(buf2, count(0), 'none again', 3000)
end, names_ok)

check('after an edit the accepted names stay accepted (read back from copydesk.toml)', function()
  vim.api.nvim_buf_set_lines(buf2, -1, -1, false, { 'Fereira has not answered.' })
  -- Let the pull after the change land before judging.
  vim.wait(1000)
  wait_diagnostics(buf2, count(0), 'still no diagnostics')
end, names_ok)

check('no workspace root: the accept says so, writes copydesk.toml beside the draft, and holds', function()
  local dir = uv.fs_realpath(vim.fn.fnamemodify(vim.fn.tempname(), ':h')) .. '/copydesk-noroot-' .. uv.os_getpid()
  vim.fn.delete(dir, 'rf')
  vim.fn.mkdir(dir, 'p')
  local path = vim.fs.joinpath(dir, 'loose.md')
  write(path, draft_text)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local b = vim.api.nvim_get_current_buf()
  local c = copydesk_client(b)
  wait_diagnostics(b, count(3), 'three diagnostics')
  local d = on_word(b, 'Fereira')[1]
  local accept = find_action(code_actions(b, c, d, { 'quickfix' }), function(a)
    return a.title:match('^Accept ‘Fereira’') ~= nil
  end, 'an accept action')
  eq('Accept ‘Fereira’ as a different name (no workspace root: in copydesk.toml beside this draft)', accept.title, 'title')
  local before = #server_messages
  apply(b, c, accept)
  eq('[names]\naccept = ["Fereira"]\n', read(vim.fs.joinpath(dir, 'copydesk.toml')), 'copydesk.toml beside the draft')
  truthy(vim.wait(3000, function()
    for i = before + 1, #server_messages do
      if server_messages[i].message:find('no workspace root', 1, true) then
        return true
      end
    end
    return false
  end, 20), 'no message saying there is no workspace root')
  wait_diagnostics(b, count(2), 'only the two "Hagle" left', 3000)
  vim.cmd('bwipeout! ' .. b)
  vim.fn.delete(dir, 'rf')
end)

-- ---------------------------------------------------------------------------------------------
-- The README's tips and troubleshooting, as a user follows them

check('the README tips block turns on virtual text; <C-W>d opens the diagnostic float', function()
  run_readme_block('tips')
  truthy(vim.diagnostic.config().virtual_text, 'virtual_text is off')
  truthy(vim.fn.maparg('<C-W>d', 'n') ~= '', 'no <C-W>d mapping in this Neovim')
  vim.cmd.buffer(buf2)
  vim.api.nvim_buf_set_lines(buf2, -1, -1, false, { '', 'Then Hagle, again.' })
  wait_word(buf2, 'Hagle', 0, 'settled')
end)

check('README troubleshooting: :checkhealth vim.lsp shows copydesk; the log file is where it says', function()
  for _, readme_text in ipairs({ readme, read(vim.fs.joinpath(repo, 'README.md')) }) do
    truthy(not readme_text:find(':LspLog', 1, true) and not readme_text:find(':LspInfo', 1, true),
      'a README names nvim-lspconfig commands')
  end
  truthy(readme:find(':checkhealth vim.lsp', 1, true), 'README does not name :checkhealth vim.lsp')
  truthy(readme:find('vim.lsp.log.get_filename()', 1, true), 'README does not name the log file')
  vim.cmd.buffer(buf2)
  vim.cmd('checkhealth vim.lsp')
  local health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('bwipeout')
  truthy(health:find('copydesk', 1, true), ':checkhealth vim.lsp does not mention copydesk:\n' .. health)
  local log = vim.lsp.log.get_filename()
  truthy(type(log) == 'string' and uv.fs_stat(log), 'no LSP log at ' .. tostring(log))
end)

check('README restart: stop the server, :edit, and a new one attaches and reports', function()
  local path = vim.fs.joinpath(ws2, 'restart.md')
  local para = 'The harbour board met on Tuesday to agree the dredging plan for the eastern quay.'
  write(path, para .. '\n\nSome words between the two copies of that paragraph.\n\n' .. para .. '\n')
  vim.cmd.edit(vim.fn.fnameescape(path))
  local b = vim.api.nvim_get_current_buf()
  local old = copydesk_client(b)
  wait_diagnostics(b, count(1), 'one diagnostic')
  run_readme_block('restart')
  truthy(vim.wait(5000, function()
    return #vim.lsp.get_clients({ name = 'copydesk' }) == 0
  end, 20), 'copydesk still running after the README stop command')
  vim.cmd.edit()
  local new = copydesk_client(b)
  truthy(new.id ~= old.id, 'the same client')
  wait_diagnostics(b, count(1), 'one diagnostic from the new server')
end)

-- ---------------------------------------------------------------------------------------------
-- The Neovim 0.10 snippet (vim.lsp.start), on a fresh client

check('the README 0.10 block (vim.lsp.start) attaches and reports', function()
  vim.lsp.enable('copydesk', false)
  for _, c in ipairs(vim.lsp.get_clients({ name = 'copydesk' })) do
    c:stop()
  end
  vim.wait(5000, function()
    return #vim.lsp.get_clients({ name = 'copydesk' }) == 0
  end)
  eq(0, #vim.lsp.get_clients({ name = 'copydesk' }), 'clients still running')
  run_readme_block('start')
  local ws3 = workspace()
  local path = vim.fs.joinpath(ws3, 'notes.md')
  local para = 'The harbour board met on Tuesday to agree the dredging plan for the eastern quay.'
  write(path, para .. '\n\nSome words between the two copies of that paragraph.\n\n' .. para .. '\n')
  vim.cmd.edit(vim.fn.fnameescape(path))
  local b = vim.api.nvim_get_current_buf()
  local c = copydesk_client(b)
  eq(ws3, c.root_dir, 'root_dir')
  local ds = wait_diagnostics(b, count(1), 'one diagnostic')
  eq({ 'duplicate-paragraph', 4, 'Duplicate of the paragraph at line 1' }, { ds[1].code, ds[1].lnum, ds[1].message },
    'diagnostic')
end)

check('the server raised no errors or warnings (shipped settings accepted)', function()
  local bad = vim.tbl_filter(function(m)
    return m.type <= 2
  end, server_messages)
  eq({}, bad, 'error/warning messages from the server')
end)

check('the LSP log holds no info-level lines from copydesk (it logs warnings unless asked)', function()
  local log = read(vim.lsp.log.get_filename())
  local info = {}
  for line in log:gmatch('[^\n]+') do
    if line:find('"stderr"', 1, true) and line:find(' INFO ', 1, true) then
      table.insert(info, line)
    end
  end
  eq({}, info, 'info lines in ' .. vim.lsp.log.get_filename())
end)

-- ---------------------------------------------------------------------------------------------

if h.failures() > 0 then
  local log = vim.lsp.log.get_filename()
  if uv.fs_stat(log) then
    out('--- last lines of ' .. log)
    local all = vim.split(read(log), '\n')
    out(table.concat(vim.list_slice(all, math.max(1, #all - 40)), '\n'))
  end
end
h.finish()
