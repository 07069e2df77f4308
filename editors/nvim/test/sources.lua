-- End-to-end test of quotations checked against the reporter's recordings (issue 15) in a
-- real, headless Neovim: a workspace with `sources/` (a WebVTT transcript) and a draft that
-- misquotes it; the misquote appears, and Neovim's own code-action machinery applies "Use the
-- source's wording", which restores the recording's words and nothing else.
--
--   XDG_STATE_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d) PATH=$PWD/target/release:$PATH \
--     nvim --headless --clean -l editors/nvim/test/sources.lua
--
-- Configured with the README's `e2e:setup` block, as users do. Prints one line per check and
-- ends with "N passed, N failed"; exits non-zero on any failure.

local uv = vim.uv or vim.loop
local script = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')
local h = dofile(vim.fs.joinpath(vim.fs.dirname(script), 'harness.lua'))
local repo, check, eq, truthy, read, write = h.repo, h.check, h.eq, h.truthy, h.read, h.write

local vtt = read(vim.fs.joinpath(repo, 'tests', 'eval-sources', 'sources', 'council-meeting.vtt'))
local draft_text = table.concat({
  'Dana Whitlock chairs the finance committee.',
  '',
  '“We found a million dollars in savings across the departments over five years,” Whitlock said.',
  '',
  '“The transit authority will not raise fares before the election in November,” Whitlock said.',
  '',
}, '\n')

local buf, client, misquote

check('the README setup block runs', function()
  h.run_readme_block('setup')
end)

local opened = check('a draft next to sources/ gets a misquote with the source and the speaker', function()
  local dir = uv.fs_realpath(vim.fn.tempname()) or vim.fn.tempname()
  vim.fn.mkdir(vim.fs.joinpath(dir, '.git'), 'p')
  vim.fn.mkdir(vim.fs.joinpath(dir, 'sources'), 'p')
  dir = uv.fs_realpath(dir)
  write(vim.fs.joinpath(dir, 'sources', 'council-meeting.vtt'), vtt)
  local path = vim.fs.joinpath(dir, 'budget.md')
  write(path, draft_text)
  vim.cmd.edit(path)
  buf = vim.api.nvim_get_current_buf()
  local ok = vim.wait(15000, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'copydesk' })[1]
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == 'copydesk' and d.code == 'misquote' then
        misquote = d
        return true
      end
    end
    return false
  end, 20)
  truthy(ok, 'no misquote; diagnostics: ' .. vim.inspect(vim.diagnostic.get(buf)))
  local want = 'Quotation differs from the source (council-meeting.vtt 00:41:07, Dana Whitlock): '
    .. '‘million’ where the recording has ‘billion’'
  truthy(misquote.message == want, 'message: ' .. misquote.message)
  truthy(misquote.lnum == 2, 'line ' .. misquote.lnum)
  truthy(misquote.severity == vim.diagnostic.severity.WARN, 'severity ' .. tostring(misquote.severity))
end)

check("\"Use the source's wording\" restores the recording's words", function()
  local lsp_d = truthy(misquote.user_data and misquote.user_data.lsp, 'no user_data.lsp')
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = lsp_d.range,
    context = { diagnostics = { lsp_d }, triggerKind = 1 },
  }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000)
  local actions = truthy(res and res[client.id] and res[client.id].result, 'no code actions')
  local fix
  for _, a in ipairs(actions) do
    if a.title == "Use the source's wording" then
      fix = a
    end
  end
  truthy(fix and fix.edit, 'no fix among ' .. vim.inspect(vim.tbl_map(function(a)
    return a.title
  end, actions)))
  truthy(fix.isPreferred, 'the fix is not preferred')
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  local now = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local want = vim.split((draft_text:gsub('a million dollars', 'a billion dollars')), '\n', { trimempty = true })
  truthy(vim.deep_equal(now, want), 'buffer now: ' .. vim.inspect(now))
  local gone = vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'misquote' then
        return false
      end
    end
    return true
  end, 20)
  truthy(gone, 'the misquote is still reported: ' .. vim.inspect(vim.diagnostic.get(buf)))
end, opened)

h.finish()
