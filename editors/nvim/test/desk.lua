-- End-to-end test of name spellings checked against the desk's other stories (issue 16) in a
-- real, headless Neovim: a workspace of two earlier stories that write "Denys Shmyhal" and an
-- open draft that writes "Shmygal". The finding arrives once the workspace index is built,
-- names the desk's spelling with its count and files, points into those files, and Neovim's
-- own code-action machinery applies the fixes: "Change all … in this draft" rewrites only the
-- two names; "Accept … as this desk's spelling" (on a fresh copy of the draft) writes
-- `[names.prefer]` into copydesk.toml through the server's command, and the finding goes.
--
--   XDG_STATE_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d) PATH=$PWD/target/release:$PATH \
--     nvim --headless --clean -l editors/nvim/test/desk.lua
--
-- Configured with the README's `e2e:setup` block, as users do. Prints one line per check and
-- ends with "N passed, N failed"; exits non-zero on any failure.

local uv = vim.uv or vim.loop
local script = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')
local h = dofile(vim.fs.joinpath(vim.fs.dirname(script), 'harness.lua'))
local check, eq, truthy, read, write = h.check, h.eq, h.truthy, h.read, h.write

local monday = table.concat({
  '# Grid holds',
  '',
  'Prime Minister Denys Shmyhal said on Monday that the grid would hold. Shmyhal spoke in Kyiv.',
  '',
  '“We are ready,” Shmyhal said.',
  '',
}, '\n')
local tuesday = table.concat({
  '# Lviv visit',
  '',
  'Denys Shmyhal visited Lviv on Tuesday. Officials said Shmyhal was tired.',
  '',
}, '\n')
local draft_text = table.concat({
  '# Brussels trip',
  '',
  'Denys Shmygal will travel to Brussels on Friday. Aides said Shmygal would meet officials there.',
  '',
}, '\n')

local dir
local function workspace()
  local d = uv.fs_realpath(vim.fn.tempname()) or vim.fn.tempname()
  vim.fn.mkdir(vim.fs.joinpath(d, '.git'), 'p')
  vim.fn.mkdir(vim.fs.joinpath(d, 'desk'), 'p')
  d = uv.fs_realpath(d)
  write(vim.fs.joinpath(d, 'desk', 'monday.md'), monday)
  write(vim.fs.joinpath(d, 'desk', 'tuesday.md'), tuesday)
  return d
end

local lines, code_actions, apply = h.lines, h.code_actions, h.apply

local function names_of(buf)
  return h.diagnostics(buf, 'name-spelling')
end

local function find_action(actions, title)
  return h.find_action(actions, function(a)
    return a.title == title
  end, ('"%s"'):format(title))
end

local function open_draft(name)
  local path = vim.fs.joinpath(dir, name)
  write(path, draft_text)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  local client, found
  local ok = vim.wait(20000, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'copydesk' })[1]
    found = names_of(buf)
    return #found == 2
  end, 20)
  truthy(ok, 'no desk name-spelling findings; diagnostics: ' .. vim.inspect(vim.diagnostic.get(buf)))
  table.sort(found, function(a, b)
    return a.col < b.col
  end)
  return buf, client, found
end

check('the README setup block runs', function()
  h.run_readme_block('setup')
end)

local buf, client, found
local opened = check('a draft that spells a name as the desk does not is told, with the desk’s files', function()
  dir = workspace()
  buf, client, found = open_draft('brussels.md')
  local d = found[1]
  eq('‘Shmygal’: the desk\'s other stories spell it ‘Shmyhal’ (5 times in 2 files)', d.message, 'message')
  eq({ 2, 6, 13 }, { d.lnum, d.col, d.end_col }, 'position of the first Shmygal')
  eq(vim.diagnostic.severity.INFO, d.severity, 'severity')
  local rel = d.user_data.lsp.relatedInformation or {}
  local files = vim.tbl_map(function(r)
    return vim.fs.basename(vim.uri_to_fname(r.location.uri))
  end, rel)
  table.sort(files)
  eq({ 'monday.md', 'tuesday.md' }, files, 'related files')
end)

check('"Change all … in this draft" rewrites the two names and nothing else', function()
  local actions = code_actions(buf, client, found[1], { 'quickfix' })
  eq({
    'Change to ‘Shmyhal’',
    'Change all 2 ‘Shmygal’ in this draft to ‘Shmyhal’',
    'Accept ‘Shmygal’ as this desk\'s spelling',
  }, vim.tbl_map(function(a)
    return a.title
  end, actions), 'code action titles')
  apply(buf, client, find_action(actions, 'Change all 2 ‘Shmygal’ in this draft to ‘Shmyhal’'))
  eq(vim.split((draft_text:gsub('Shmygal', 'Shmyhal')), '\n', { trimempty = true }), lines(buf), 'the buffer')
  truthy(vim.wait(10000, function()
    return #names_of(buf) == 0
  end, 20), 'the findings stay: ' .. vim.inspect(names_of(buf)))
end, opened)

check('"Accept … as this desk\'s spelling" writes [names.prefer] and the finding goes, with no edit to the draft', function()
  vim.cmd('silent! write')
  local b2, c2, f2 = open_draft('paris.md')
  local accept = find_action(code_actions(b2, c2, f2[1], { 'quickfix' }), 'Accept ‘Shmygal’ as this desk\'s spelling')
  apply(b2, c2, accept)
  local toml = read(vim.fs.joinpath(dir, 'copydesk.toml'))
  truthy(toml:find('[names.prefer]', 1, true), 'copydesk.toml: ' .. toml)
  truthy(toml:find('Shmyhal = "Shmygal"', 1, true), 'copydesk.toml: ' .. toml)
  truthy(vim.wait(10000, function()
    return #names_of(b2) == 0
  end, 20), 'the findings stay: ' .. vim.inspect(names_of(b2)))
  eq(vim.split(draft_text, '\n', { trimempty = true }), lines(b2), 'the draft')
  -- A copydesk.toml that the server wrote is one the CLI reads.
  local r = vim.system({ 'copydesk', 'check', vim.fs.joinpath(dir, 'paris.md') }, { text = true }):wait()
  eq(0, r.code, '`copydesk check` exit status (' .. (r.stderr or '') .. ')')
end, opened)

h.finish()
