"""A thin layer over pytest-lsp's client: open documents, get diagnostics the way the client
would (pulled if it declared `textDocument/diagnostic`, pushed otherwise), fetch and apply
code actions, edit documents, in the position encoding the server chose."""

from __future__ import annotations

import asyncio
import pathlib
import time
from typing import Any, Callable

from lsprotocol import types
from pytest_lsp import LanguageClient

from spec_checks import cap, plain

REPO = pathlib.Path(__file__).resolve().parents[2]


# --- positions ----------------------------------------------------------------------------------


def units(s: str, encoding: str) -> int:
    """Length of s in the encoding's code units."""
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)


def offset(text: str, pos: dict, encoding: str) -> int:
    """Index into a Python str of an LSP position (strict: the position must exist)."""
    lines = text.split("\n")
    assert pos["line"] <= len(lines), f"line {pos['line']} past the end ({len(lines)} lines)"
    if pos["line"] == len(lines):
        assert pos["character"] == 0, f"bad position {pos}"
        return len(text)
    start = sum(len(l) + 1 for l in lines[: pos["line"]])
    left = pos["character"]
    i = 0
    for ch in lines[pos["line"]]:
        if left == 0:
            break
        left -= units(ch, encoding)
        assert left >= 0, f"position {pos} splits a character in {encoding}"
        i += 1
    assert left == 0, f"position {pos} past the end of its line in {encoding}"
    return start + i


def position(text: str, index: int, encoding: str) -> dict:
    before = text[:index]
    line = before.count("\n")
    col = before[before.rfind("\n") + 1 :]
    return {"line": line, "character": units(col, encoding)}


def apply_edits(text: str, edits: list[dict], encoding: str) -> str:
    spans = sorted(
        ((offset(text, e["range"]["start"], encoding), offset(text, e["range"]["end"], encoding), e["newText"])
         for e in edits),
        key=lambda s: (s[0], s[1]),
    )
    for (a1, b1, _), (a2, _, _) in zip(spans, spans[1:]):
        assert b1 <= a2, f"overlapping edits {spans}"
    for a, b, new in reversed(spans):
        text = text[:a] + new + text[b:]
    return text


def uri_of(path: pathlib.Path) -> str:
    return path.resolve().as_uri()


def path_of(uri: str) -> pathlib.Path:
    from urllib.parse import unquote, urlparse

    return pathlib.Path(unquote(urlparse(uri).path))


# --- the session --------------------------------------------------------------------------------


class Session:
    def __init__(self, client: LanguageClient, name: str, root: pathlib.Path, result: types.InitializeResult):
        self.client = client
        self.name = name  # "neovim" | "visual-studio-code"
        self.root = root
        self.init = plain(result)
        self.caps = plain(client.capabilities)
        self.encoding = cap(self.init, "capabilities.positionEncoding", "utf-16")
        # Pull when the server offers it (it may only if the client declared it); else pushes.
        self.pull = "diagnosticProvider" in self.init["capabilities"]
        assert not self.pull or cap(self.caps, "textDocument.diagnostic") is not None, \
            "diagnosticProvider offered to a client that cannot pull"
        sync = cap(self.init, "capabilities.textDocumentSync", 0)
        self.sync = sync.get("change", 0) if isinstance(sync, dict) else sync
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        # Like Neovim and VS Code, send the last resultId and keep the items on "unchanged".
        self.last_pull: dict[str, tuple[str | None, list[dict]]] = {}
        self.pull_errors: list[BaseException] = []
        self._tasks: set[asyncio.Task] = set()
        client.session = self

    # documents

    def open(self, path: pathlib.Path, text: str | None = None, language: str | None = None) -> str:
        if text is None:
            text = path.read_text(encoding="utf-8")
        else:
            path.write_text(text, encoding="utf-8")
        uri = uri_of(path)
        language = language or ("markdown" if path.suffix == ".md" else "plaintext")
        self.texts[uri], self.versions[uri] = text, 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        self._schedule_pull(uri)
        return uri

    def change(self, uri: str, edits: list[dict]) -> str:
        """Apply TextEdits (relative to the current text) and tell the server: as incremental
        changes, last first, when it asked for them, else the whole text."""
        old = self.texts[uri]
        new = apply_edits(old, edits, self.encoding)
        self.versions[uri] += 1
        if self.sync == 2:
            ordered = sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                             reverse=True)
            changes = [types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(**e["range"]["start"]), end=types.Position(**e["range"]["end"])),
                text=e["newText"]) for e in ordered]
        else:
            changes = [types.TextDocumentContentChangeWholeDocument(text=new)]
        self.texts[uri] = new
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=changes))
        self._schedule_pull(uri)
        return new

    def replace_all(self, uri: str, new: str) -> None:
        old = self.texts[uri]
        end = position(old, len(old), self.encoding)
        self.change(uri, [{"range": {"start": {"line": 0, "character": 0}, "end": end}, "newText": new}])

    # diagnostics

    # A pulling client asks when it opens or changes a document, and when the server sends
    # workspace/diagnostic/refresh (if the client declared support for it): exactly what
    # Neovim does. Pulls are never made just because a test is waiting.

    def _schedule_pull(self, uri: str) -> None:
        if not self.pull:
            return
        version = self.versions[uri]

        async def pull() -> None:
            previous = self.last_pull.get(uri, (None, []))
            try:
                res = plain(await self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous[0])))
                if self.versions.get(uri) != version:
                    return  # an answer for an older text
                if res["kind"] == "unchanged":
                    assert previous[0] is not None and res["resultId"] == previous[0], f"bad unchanged report {res}"
                    return
                assert res["kind"] == "full", f"unexpected report {res}"
                self.last_pull[uri] = (res.get("resultId"), res["items"])
            except BaseException as e:  # surfaced by diagnostics()
                self.pull_errors.append(e)

        task = asyncio.get_running_loop().create_task(pull())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def refresh(self) -> None:
        """workspace/diagnostic/refresh: pull every open document again."""
        for uri in self.texts:
            self._schedule_pull(uri)

    async def diagnostics(self, uri: str) -> list[dict]:
        """What the client shows now: the last pull answer, or the last push."""
        if self.pull_errors:
            raise self.pull_errors[0]
        if self.pull:
            return self.last_pull.get(uri, (None, []))[1]
        got = self.client.pushed.get(uri)
        return got[1] if got else []

    async def wait_diagnostics(self, uri: str, pred: Callable[[list[dict]], bool], what: str,
                               timeout: float = 10) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            ds = await self.diagnostics(uri)
            if pred(ds):
                return sorted(ds, key=lambda d: (d["range"]["start"]["line"], d["range"]["start"]["character"]))
            if time.monotonic() > deadline:
                shown = [(d["range"], d.get("code"), d["message"]) for d in ds]
                raise AssertionError(f"timed out waiting for {what}; diagnostics now: {shown}")
            await asyncio.sleep(0.05)

    async def wait_count(self, uri: str, n: int, code: str | None = None, timeout: float = 10) -> list[dict]:
        ds = await self.wait_diagnostics(
            uri, lambda ds: len([d for d in ds if code is None or d.get("code") == code]) == n,
            f"{n} diagnostic(s)", timeout)
        return [d for d in ds if code is None or d.get("code") == code]

    def covered(self, uri: str, rng: dict) -> str:
        text = self.texts[uri]
        return text[offset(text, rng["start"], self.encoding): offset(text, rng["end"], self.encoding)]

    # code actions

    async def code_actions(self, uri: str, rng: dict, diagnostics: list[dict], only: list[str] | None = None) -> list[dict]:
        conv = self.client.protocol._converter
        params = conv.structure({
            "textDocument": {"uri": uri}, "range": rng,
            "context": {"diagnostics": diagnostics, **({"only": only} if only else {}), "triggerKind": 1},
        }, types.CodeActionParams)
        return plain(await self.client.text_document_code_action_async(params)) or []

    async def resolve(self, action: dict) -> dict:
        if action.get("edit") is None and cap(self.init, "capabilities.codeActionProvider.resolveProvider"):
            conv = self.client.protocol._converter
            action = plain(await self.client.code_action_resolve_async(conv.structure(action, types.CodeAction)))
        return action

    async def apply(self, action: dict) -> None:
        """Apply a code action as an editor would: its edit (open documents are changed and
        the server told; other files are changed on disk), then its command, which must be one
        the server executes itself."""
        action = await self.resolve(action)
        cmd = action.get("command")
        if cmd is not None:
            commands = cap(self.init, "capabilities.executeCommandProvider.commands", []) or []
            assert cmd["command"] in commands, f"{action['title']!r} needs client-side command {cmd['command']!r}"
        assert action.get("edit") is not None or cmd is not None, f"{action['title']!r} does nothing"
        if action.get("edit") is not None:
            self.apply_workspace_edit(action["edit"])
        if cmd is not None:
            conv = self.client.protocol._converter
            await self.client.workspace_execute_command_async(conv.structure(
                {"command": cmd["command"], "arguments": cmd.get("arguments")}, types.ExecuteCommandParams))

    def apply_workspace_edit(self, edit: dict) -> None:
        per_uri: list[tuple[str, list[dict]]] = []
        if edit.get("documentChanges") is not None:
            for change in edit["documentChanges"]:
                kind = change.get("kind")
                if kind == "create":
                    p, opts = path_of(change["uri"]), change.get("options") or {}
                    if not p.exists() or opts.get("overwrite"):
                        p.parent.mkdir(parents=True, exist_ok=True)
                        p.write_text("", encoding="utf-8")
                    elif not opts.get("ignoreIfExists"):
                        raise AssertionError(f"CreateFile on existing {p} without ignoreIfExists")
                elif kind is not None:
                    raise AssertionError(f"unexpected resource operation {change}")
                else:
                    doc = change["textDocument"]
                    if doc.get("version") is not None and doc["uri"] in self.versions:
                        assert doc["version"] == self.versions[doc["uri"]], "edit for a stale version"
                    per_uri.append((doc["uri"], change["edits"]))
        else:
            per_uri = list((edit.get("changes") or {}).items())
        for uri, edits in per_uri:
            if uri in self.texts:
                self.change(uri, edits)
            else:
                p = path_of(uri)
                # Neovim and VS Code edit a missing file as an empty, new buffer.
                old = p.read_text(encoding="utf-8") if p.exists() else ""
                p.write_text(apply_edits(old, edits, self.encoding), encoding="utf-8")
                self.client.written_files.append(uri)

    # watched files

    def notify_written(self) -> None:
        """Send workspace/didChangeWatchedFiles for the files written by edits, if (and only
        if) the server registered a watcher, as VS Code would."""
        if not self.client.written_files:
            return
        registered = any(r["method"] == "workspace/didChangeWatchedFiles"
                         for _, p in self.client.server_requests if p and "registrations" in p
                         for r in p["registrations"])
        if registered:
            self.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                types.FileEvent(uri=u, type=types.FileChangeType.Created) for u in self.client.written_files]))
        self.client.written_files.clear()

    def messages(self, max_type: int = 2) -> list[str]:
        """Errors and warnings the server showed or logged."""
        return [m.message for m in [*self.client.messages, *self.client.log_messages] if m.type.value <= max_type]

    async def hover(self, uri: str, pos: dict) -> Any:
        res = await self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(**pos)))
        return plain(res)
