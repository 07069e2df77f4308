-- copydesk: editorial checks (duplicate paragraphs, unattributed quotes, inconsistent
-- spellings of names) for markdown and plain-text drafts, over Neovim's built-in LSP client.
--
-- Neovim 0.11+: put the folder holding this `lsp/` directory on 'runtimepath' and enable it:
--
--   vim.opt.runtimepath:append('/path/to/copydesk/editors/nvim')
--   vim.lsp.enable('copydesk')
--
-- Needs the `copydesk` binary on $PATH (`cargo install --path .` in the repository).
-- Change any setting without copying this file; your table is merged over this one:
--
--   vim.lsp.config('copydesk', {
--     settings = { copydesk = { duplicateParagraph = { severity = 'hint' } } },
--   })
--
-- Everything works through standard LSP, with no client-side commands:
--   * diagnostics are pushed by the server (`textDocument/publishDiagnostics`): Neovim cannot
--     be asked to pull again after a settings change, so the server pushes to it;
--   * quick fixes (`vim.lsp.buf.code_action()`) apply as workspace edits: "Delete duplicate
--     paragraph", "Delete the N repeated paragraphs", "Delete this copy", "Change to ‘X’",
--     "Change all N ‘Y’ to ‘X’"; "Accept ‘Y’ as a different name" is a command the server runs:
--     it adds the name to `copydesk.toml` at the workspace root itself (nothing to save);
--   * the server watches `copydesk.toml` itself (Neovim on Linux offers no file watching):
--     a change, in Neovim or by git, applies to open drafts within a second;
--   * `source.fixAll.copydesk` applies every safe fix in the buffer:
--       vim.lsp.buf.code_action({ context = { only = { 'source.fixAll' } }, apply = true })
--   * `K` (hover) over a name tells which spellings of it the draft uses.
--
-- Settings are layered, lowest first: the server's built-in defaults, `init_options`, the
-- `settings.copydesk` table below (sent through `workspace/configuration` and
-- `workspace/didChangeConfiguration`), then `copydesk.toml` at the workspace root, which wins
-- so a desk's house style applies to everyone. Keys may also be written kebab-case or
-- snake_case (`min-words`, `min_words`); unknown keys are reported and ignored, never fatal.
--
-- Severity values: 'error' | 'warning' | 'information' | 'hint'.

---@type vim.lsp.Config
return {
  cmd = { 'copydesk', 'lsp' },
  filetypes = { 'markdown', 'text' },
  -- The workspace root: where `copydesk.toml` lives (or is created by "Accept ‘Y’ …"; with
  -- no root, "Accept" says so and writes it beside the draft).
  root_markers = { 'copydesk.toml', '.git' },
  settings = {
    copydesk = {
      -- `duplicate-paragraph`: a paragraph that repeats an earlier one, exactly or nearly.
      duplicateParagraph = {
        enabled = true,
        severity = 'warning',
        -- Word-bigram similarity (0 to 1) from which a paragraph counts as a near copy.
        similarity = 0.8,
        -- Paragraphs with fewer words are never compared ("Advertisement", "Read more").
        minWords = 8,
        -- Near copies (not exact ones) are looked for only in paragraphs this long: short
        -- template lines ("I think they treat waiters best in ... France") differ on purpose.
        nearMinWords = 15,
        -- Also report copies of paragraphs in the workspace's other open documents ...
        crossDocument = true,
        -- ... at this severity.
        crossDocumentSeverity = 'information',
      },
      -- `unattributed-quote`: a direct quotation that names no speaker.
      unattributedQuote = {
        enabled = true,
        -- Severity of a quotation with no speaker anywhere near it.
        severity = 'warning',
        -- A quotation attributed only by newsroom convention (it carries over the one speaker
        -- of the paragraph before): 'off' (the default, as most published copy does), or a
        -- severity for a strict desk that wants every quoted paragraph attributed.
        impliedAttribution = 'off',
        -- Quotations of this many words or fewer are quoted terms, not speech.
        maxShortWords = 3,
        -- More speech verbs, added to the built-in list; a base form such as 'bellow' also
        -- adds 'bellows', 'bellowed', 'bellowing'. E.g. { 'bellow', 'quip' }.
        speechVerbs = {},
      },
      -- `name-spelling`: one person, one spelling ("Ferreira" and "Fereira").
      nameSpelling = {
        enabled = true,
        severity = 'warning',
        -- Also report spellings that differ by small edits (Hagel/Hagle), not only by case,
        -- accents, hyphens or spaces.
        fuzzy = true,
      },
      -- The house style sheet for names (usually kept in `copydesk.toml` instead).
      names = {
        -- Spellings that are right as written and never flagged, e.g. { 'Fereira' }.
        accept = {},
        -- Known variant = preferred spelling, e.g. { Qadhafi = 'Gaddafi' }.
        -- (vim.empty_dict() so that an empty table is sent as a JSON object, not a list.)
        prefer = vim.empty_dict(),
      },
    },
  },
}
