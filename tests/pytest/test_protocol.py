"""copydesk over LSP, as Neovim and as VS Code (pytest-lsp's captured capabilities).

Every test runs once per client. The spec checks in spec_checks.py run on every message; any
message the client did not declare support for fails the test.
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import shutil
import subprocess

from typing import Callable

import pytest
from lsprotocol import types

from session import REPO, Session, position, units

DUPLICATE = "duplicate-paragraph"


def lines_of(text: str) -> list[str]:
    return text.split("\n")


async def open_seed(s: Session, seed_text: str) -> str:
    return s.open(s.root / "00-cyber-dialogue.txt", seed_text)


# --- initialize ---------------------------------------------------------------------------------


async def test_initialize(session: Session):
    s = session
    caps = s.init["capabilities"]
    # UTF-8 when offered (Neovim), else UTF-16 (VS Code offers nothing: UTF-16 by default).
    want = "utf-8" if s.name == "neovim" else "utf-16"
    assert caps.get("positionEncoding", "utf-16") == want
    # Pull diagnostics only where the client both can pull and can be told to pull again
    # (workspace/diagnostic/refresh): a client that pulls only on open and change (Neovim
    # 0.11, and the 0.12-dev binary the e2e test runs) would otherwise keep stale diagnostics
    # after a settings change or "Accept ‘Y’". Push otherwise.
    can_pull = s.caps.get("textDocument", {}).get("diagnostic") is not None
    can_refresh = bool(s.caps.get("workspace", {}).get("diagnostics", {}).get("refreshSupport"))
    assert s.pull == (can_pull and can_refresh), (
        f"server {'pulls' if s.pull else 'pushes'}; client: diagnostic={can_pull}, refreshSupport={can_refresh}")
    kinds = caps["codeActionProvider"]["codeActionKinds"]
    assert "quickfix" in kinds and any(k.startswith("source.fixAll") for k in kinds)
    assert caps.get("hoverProvider")
    sync = caps["textDocumentSync"]
    assert sync["openClose"] is True and sync["change"] in (1, 2)
    assert s.init["serverInfo"]["name"] == "copydesk"


# --- diagnostics ----------------------------------------------------------------------------------


async def test_seed_diagnostics(session: Session, seed_text: str):
    s = session
    uri = await open_seed(s, seed_text)
    lines = lines_of(seed_text)
    assert len(lines) == 14
    ds = await s.wait_count(uri, 5)
    for i, d in enumerate(ds):
        line = 9 + i
        assert d["code"] == DUPLICATE and d["source"] == "copydesk"
        assert d["severity"] == 2
        # The whole line, measured in the negotiated encoding (the lines hold ’ and “).
        assert d["range"] == {"start": {"line": line, "character": 0},
                              "end": {"line": line, "character": units(lines[line], s.encoding)}}
        assert s.covered(uri, d["range"]) == lines[line]
        assert d["message"] == f"Duplicate of the paragraph at line {line - 4}"
        related = d["relatedInformation"]
        assert related[0]["location"]["uri"] == uri
        assert related[0]["location"]["range"]["start"]["line"] == line - 5
    if s.pull:
        await asyncio.sleep(0.3)
        assert uri not in s.client.pushed, "the server pushed diagnostics to a client that pulls them"


async def test_multibyte_positions(session: Session):
    """A duplicate after emoji and accents: columns in the negotiated encoding."""
    s = session
    para = "Ana Ferreira 🎉 told the café owners that the ﬁnal plan for the quay was ready today."
    text = f"Intro line that is here.\n\n{para}\n\n😀 {para}\n"
    uri = s.open(s.root / "emoji.md", text)
    ds = await s.wait_count(uri, 1, DUPLICATE)
    d = ds[0]
    assert d["range"]["start"]["line"] == 4
    assert s.covered(uri, d["range"]).endswith("ready today.")
    assert d["range"]["end"]["character"] == units("😀 " + para, s.encoding)


# --- code actions ---------------------------------------------------------------------------------


async def test_quick_fixes_then_did_change(session: Session, seed_text: str):
    s = session
    uri = await open_seed(s, seed_text)
    lines = lines_of(seed_text)
    ds = await s.wait_count(uri, 5)
    actions = await s.code_actions(uri, ds[0]["range"], [ds[0]], only=["quickfix"])
    titles = [a["title"] for a in actions]
    preferred = [a for a in actions if a.get("isPreferred")]
    assert [a["title"] for a in preferred] == ["Delete duplicate paragraph"], titles
    assert "Delete the 5 repeated paragraphs (lines 10–14)" in titles
    assert all(a["kind"] == "quickfix" for a in actions)
    assert all(a.get("command") is None for a in actions), "duplicate fixes need no command"

    await s.apply(preferred[0])
    assert s.texts[uri] == "\n".join(lines[:9] + lines[10:])
    ds = await s.wait_count(uri, 4)
    assert [d["range"]["start"]["line"] for d in ds] == [9, 10, 11, 12]

    actions = await s.code_actions(uri, ds[0]["range"], [ds[0]], only=["quickfix"])
    block = next(a for a in actions if a["title"].startswith("Delete the 4 repeated paragraphs"))
    assert block["title"] == "Delete the 4 repeated paragraphs (lines 10–13)"
    await s.apply(block)
    assert s.texts[uri] == "\n".join(lines[:9])
    await s.wait_count(uri, 0)


async def test_fix_all(session: Session, seed_text: str):
    s = session
    uri = await open_seed(s, seed_text)
    ds = await s.wait_count(uri, 5)
    whole = {"start": {"line": 0, "character": 0}, "end": position(seed_text, len(seed_text), s.encoding)}
    actions = await s.code_actions(uri, whole, ds, only=["source.fixAll"])
    assert [a["kind"] for a in actions] == ["source.fixAll.copydesk"], actions
    await s.apply(actions[0])
    assert s.texts[uri] == "\n".join(lines_of(seed_text)[:9])
    await s.wait_count(uri, 0)


async def test_did_change_updates_diagnostics(session: Session, seed_text: str):
    s = session
    uri = await open_seed(s, seed_text)
    lines = lines_of(seed_text)
    await s.wait_count(uri, 5)

    # Type a word after "China’s" on line 10 (a near copy stays a copy): the position is in
    # the negotiated encoding, after a multi-byte apostrophe.
    at = lines[9].index("China’s") + len("China’s")
    pos = {"line": 9, "character": units(lines[9][:at], s.encoding)}
    s.change(uri, [{"range": {"start": pos, "end": pos}, "newText": " own"}])
    new_line = lines[9][:at] + " own" + lines[9][at:]
    ds = await s.wait_diagnostics(
        uri, lambda ds: any(d["range"]["end"] == {"line": 9, "character": units(new_line, s.encoding)} for d in ds),
        "the diagnostic on line 10 to cover the longer line")
    assert len(ds) == 5
    assert s.covered(uri, ds[0]["range"]) == new_line

    # Rewrite line 14 entirely: it is no longer a copy.
    end = {"line": 13, "character": units(lines[13], s.encoding)}
    s.change(uri, [{"range": {"start": {"line": 13, "character": 0}, "end": end},
                    "newText": "Officials in Washington did not respond to requests for comment on Tuesday."}])
    ds = await s.wait_count(uri, 4)
    assert [d["range"]["start"]["line"] for d in ds] == [9, 10, 11, 12]

    # Paste the first copy again at the end: a sixth duplicate appears on a new line 15.
    end = {"line": 13, "character": units(s.texts[uri].split("\n")[13], s.encoding)}
    s.change(uri, [{"range": {"start": end, "end": end}, "newText": "\n" + lines[4]}])
    ds = await s.wait_count(uri, 5)
    assert ds[-1]["range"]["start"]["line"] == 14
    assert ds[-1]["message"] == "Duplicate of the paragraph at line 5"


# --- settings -------------------------------------------------------------------------------------


async def first_diagnostics(s: Session, uri: str, n: int, want: Callable[[list[dict]], bool]) -> list[dict]:
    """The diagnostics right after opening. A pulling client (Neovim) keeps its first answer
    until the text changes (neither client declares workspace/diagnostic/refresh), so that one
    must already reflect the settings; pushes may be corrected by a later push."""
    if s.pull:
        return await s.wait_count(uri, n)
    return await s.wait_diagnostics(uri, lambda ds: len(ds) == n and want(ds), f"{n} diagnostics as configured")


def severities(ds: list[dict]) -> set[int]:
    return {d["severity"] for d in ds}


@pytest.mark.settings({"duplicateParagraph": {"severity": "hint"}})
async def test_settings_from_workspace_configuration(session: Session, seed_text: str):
    s = session
    uri = await open_seed(s, seed_text)
    ds = await first_diagnostics(s, uri, 5, lambda ds: severities(ds) == {4})
    assert severities(ds) == {4}, "the first diagnostics ignore the client's settings"

    # The user changes the setting: as Neovim does, the new section comes in the notification
    # and from workspace/configuration alike. The client asks again (a pulling client with
    # the previous resultId, as Neovim and VS Code do).
    section = {"duplicateParagraph": {"severity": "error"}}
    s.client.set_configuration(section, section="copydesk")
    s.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"copydesk": section}))
    ds = await s.wait_diagnostics(uri, lambda ds: len(ds) == 5 and severities(ds) == {1}, "severity error")
    assert s.messages() == []


async def test_settings_change_reaches_open_documents(session: Session, seed_text: str):
    """didChangeConfiguration with the text unchanged: what the client shows follows, without
    an edit. (A client that pulls, like Neovim, asks again only on open, on change and on
    workspace/diagnostic/refresh if it declared support for it.)"""
    s = session
    uri = await open_seed(s, seed_text)
    ds = await s.wait_count(uri, 5)
    assert severities(ds) == {2}
    section = {"duplicateParagraph": {"severity": "error"}}
    s.client.set_configuration(section, section="copydesk")
    s.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"copydesk": section}))
    await s.wait_diagnostics(uri, lambda ds: len(ds) == 5 and severities(ds) == {1}, "severity error")


@pytest.mark.init_options({"duplicateParagraph": {"enabled": False}})
async def test_settings_from_initialization_options(session: Session, seed_text: str):
    s = session
    uri = await open_seed(s, seed_text)
    await asyncio.sleep(0.5)
    assert await s.wait_count(uri, 0) == []


@pytest.mark.settings({"duplicateParagraph": {"minWordz": 3, "severity": "hint"}})
async def test_unknown_setting_warns_and_the_rest_applies(session: Session, seed_text: str):
    s = session
    uri = await open_seed(s, seed_text)
    ds = await first_diagnostics(s, uri, 5, lambda ds: severities(ds) == {4})
    assert severities(ds) == {4}, "the first diagnostics ignore the client's settings"
    await asyncio.sleep(0.2)
    told = " ".join(m.message for m in [*s.client.messages, *s.client.log_messages])
    assert "minWordz" in told, "an unknown key should be reported"


def shipped_settings() -> dict | None:
    """The `settings` table of editors/nvim/lsp/copydesk.lua, as Neovim encodes it."""
    nvim = os.environ.get("NVIM_BIN") or shutil.which("nvim")
    if not nvim:
        return None
    script = ("local c = dofile(_G.arg[1]); io.stdout:write(vim.json.encode(c.settings))")
    lua = REPO / "target" / "shipped-settings.lua"
    lua.parent.mkdir(exist_ok=True)
    lua.write_text(script)
    env = {**os.environ, "XDG_STATE_HOME": str(lua.parent), "XDG_DATA_HOME": str(lua.parent)}
    out = subprocess.run([nvim, "--headless", "--clean", "-l", str(lua), str(REPO / "editors/nvim/lsp/copydesk.lua")],
                         capture_output=True, text=True, env=env, timeout=30)
    if out.returncode != 0:
        raise AssertionError(f"nvim failed: {out.stderr}")
    return json.loads(out.stdout)


async def test_shipped_nvim_settings_are_accepted(session: Session, seed_text: str):
    """The settings in editors/nvim/lsp/copydesk.lua, sent exactly as Neovim sends them,
    raise no warning and give the defaults."""
    settings = shipped_settings()
    if settings is None:
        pytest.skip("no nvim (set NVIM_BIN)")
    s = session
    s.client.set_configuration(settings["copydesk"], section="copydesk")
    s.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))
    uri = await open_seed(s, seed_text)
    ds = await s.wait_count(uri, 5)
    assert {d["severity"] for d in ds} == {2}
    await asyncio.sleep(0.2)
    assert s.messages() == []


# --- names: "Accept" writes copydesk.toml -----------------------------------------------------------

DRAFT = "\n".join([
    "# Harbour budget",
    "",
    "Councillor Ana Ferreira opened the session on the new budget for the harbour district.",
    "",
    "Ferreira said the dredging plan would take three years to carry out in full.",
    "",
    "Opposition members asked Fereira why the eastern quay had been left out of the first year.",
    "",
    "The vote will follow next week, Ferreira told reporters after the meeting.",
    "",
])


async def test_name_spelling_fixes(session: Session):
    s = session
    uri = s.open(s.root / "council.md", DRAFT)
    ds = await s.wait_count(uri, 1, "name-spelling")
    d = ds[0]
    assert s.covered(uri, d["range"]) == "Fereira"
    assert d["range"]["start"]["line"] == 6
    actions = await s.code_actions(uri, d["range"], [d], only=["quickfix"])
    titles = [a["title"] for a in actions]
    preferred = [a for a in actions if a.get("isPreferred")]
    assert [a["title"] for a in preferred] == ["Change to ‘Ferreira’"], titles
    assert "Accept ‘Fereira’ as a different name" in titles

    await s.apply(preferred[0])
    assert s.texts[uri] == DRAFT.replace("Fereira", "Ferreira")
    await s.wait_count(uri, 0, "name-spelling")


async def test_name_accept_writes_copydesk_toml(session: Session):
    s = session
    uri = s.open(s.root / "council.md", DRAFT)
    ds = await s.wait_count(uri, 1, "name-spelling")
    actions = await s.code_actions(uri, ds[0]["range"], ds, only=["quickfix"])
    accept = next((a for a in actions if a["title"] == "Accept ‘Fereira’ as a different name"), None)
    assert accept is not None, [a["title"] for a in actions]
    toml = s.root / "copydesk.toml"
    assert not toml.exists()

    # A command the server runs: it writes the file itself (no edit laid over the client's
    # buffers), so the name is accepted at once, before and without any save.
    assert accept.get("edit") is None, accept
    await s.apply(accept)
    assert toml.read_text(encoding="utf-8") == '[names]\naccept = ["Fereira"]\n'
    assert s.texts[uri] == DRAFT
    await s.wait_count(uri, 0, "name-spelling")

    # Still accepted after an edit (the server reads it back from copydesk.toml).
    s.change(uri, [{"range": {"start": {"line": 9, "character": 0}, "end": {"line": 9, "character": 0}},
                    "newText": "Fereira has not answered.\n"}])
    await asyncio.sleep(0.3)
    assert await s.wait_count(uri, 0, "name-spelling") == []


async def test_name_accept_extends_an_existing_copydesk_toml(session: Session):
    s = session
    toml = s.root / "copydesk.toml"
    toml.write_text('# house style\n[names]\naccept = ["Qaddafi"]\n', encoding="utf-8")
    uri = s.open(s.root / "council.md", DRAFT)
    ds = await s.wait_count(uri, 1, "name-spelling")
    actions = await s.code_actions(uri, ds[0]["range"], ds, only=["quickfix"])
    accept = next(a for a in actions if a["title"] == "Accept ‘Fereira’ as a different name")
    await s.apply(accept)
    assert toml.read_text(encoding="utf-8") == '# house style\n[names]\naccept = ["Qaddafi", "Fereira"]\n'
    s.notify_written()
    await s.wait_count(uri, 0, "name-spelling")


async def test_hover_on_a_name(session: Session):
    s = session
    uri = s.open(s.root / "council.md", DRAFT)
    await s.wait_count(uri, 1, "name-spelling")
    line = DRAFT.split("\n")[4]
    pos = {"line": 4, "character": units(line[: line.index("Ferreira") + 2], s.encoding)}
    hover = await s.hover(uri, pos)
    assert hover is not None
    contents = hover["contents"]
    value = contents["value"] if isinstance(contents, dict) else json.dumps(contents)
    assert "Ferreira" in value and "Fereira" in value, value


# --- lifecycle ------------------------------------------------------------------------------------


async def test_exit_right_after_initialized(session: Session):
    """An editor closed at once: shutdown and exit while the server may still be busy with
    `initialized` (registrations, workspace/configuration). The process must end."""
    s = session
    await s.client.shutdown_async(None)
    s.client.exit(None)
    try:
        code = await asyncio.wait_for(s.client._server.wait(), 5)
    except asyncio.TimeoutError:
        raise AssertionError("copydesk still running 5 s after shutdown and exit") from None
    assert code == 0
