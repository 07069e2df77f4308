"""Issue 14: copydesk.toml, settings and quick fixes as a user works, under the Neovim and the
VS Code client capabilities. "Accept" is a command the server runs (it merges into the file on
disk itself); the server notices every change to copydesk.toml, whoever makes it, with no
didChangeWatchedFiles needed; settings problems are told once, where they are; a line with two
findings lists each distinct fix once."""

from __future__ import annotations

import asyncio
import tomllib

import pytest

from session import Session, units

# Two names each spelled two ways, and the second misspelling twice on one line.
DRAFT = "\n".join([
    "# Harbour budget",
    "",
    "Councillor Ana Ferreira opened the session on the new budget for the harbour district.",
    "",
    "Ferreira said the dredging plan would take three years. Defense Secretary Chuck Hagel agreed.",
    "",
    "Opposition members asked Fereira why the eastern quay had been left out of the first year.",
    "",
    "Hagel said the vote would follow next week, and Hagel told reporters so after the meeting.",
    "",
    "Ferreira and Hagel left together. Hagle went home, and Hagle did not answer questions.",
    "",
])

NAMES = "name-spelling"


async def accept_action(s: Session, uri: str, name: str) -> dict:
    ds = await s.diagnostics(uri)
    d = next((d for d in ds if d.get("code") == NAMES and s.covered(uri, d["range"]) == name), None)
    assert d is not None, f"no diagnostic on {name}: {ds}"
    actions = await s.code_actions(uri, d["range"], [d], only=["quickfix"])
    title = f"Accept ‘{name}’ as a different name"
    accept = next((a for a in actions if a["title"] == title), None)
    assert accept is not None, [a["title"] for a in actions]
    # The server merges into the file itself: no edit for the client to lay over its buffers.
    assert accept.get("edit") is None, accept
    return accept


def settings_in(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def test_two_accepts_before_any_save_give_one_valid_file_with_both(session: Session):
    s = session
    toml = s.root / "copydesk.toml"
    toml.write_text("# Our house style\n[duplicate-paragraph]\nmin-words = 8  # the default\n", encoding="utf-8")
    uri = s.open(s.root / "council.md", DRAFT)
    await s.wait_count(uri, 3, NAMES)
    first = await accept_action(s, uri, "Fereira")
    second = await accept_action(s, uri, "Hagle")
    # Both chosen from menus shown before either ran, as a user does.
    await s.apply(first)
    await s.apply(second)
    text = toml.read_text(encoding="utf-8")
    assert text.count("[names]") == 1 and text.count("accept") == 1, text
    assert settings_in(toml)["names"]["accept"] == ["Fereira", "Hagle"], text
    assert text.startswith("# Our house style\n[duplicate-paragraph]\nmin-words = 8  # the default\n"), text
    # Accepting again changes nothing.
    await s.apply(first)
    assert toml.read_text(encoding="utf-8") == text
    await s.wait_count(uri, 0, NAMES)
    assert s.messages() == []


async def test_copydesk_toml_changed_from_outside_takes_effect_and_removal_unaccepts(session: Session):
    """No didChangeWatchedFiles is sent here (Neovim on Linux sends none): the server's own
    watch must see the file."""
    s = session
    toml = s.root / "copydesk.toml"
    uri = s.open(s.root / "council.md", DRAFT)
    await s.wait_count(uri, 3, NAMES)
    toml.write_text('[names]\naccept = ["Fereira", "Hagle"]\n', encoding="utf-8")
    await s.wait_count(uri, 0, NAMES, timeout=3)
    # An accept done in this session does not outlive its removal from the file.
    toml.write_text('[names]\naccept = ["Hagle"]\n', encoding="utf-8")
    ds = await s.wait_count(uri, 1, NAMES, timeout=3)
    assert s.covered(uri, ds[0]["range"]) == "Fereira"
    toml.unlink()
    await s.wait_count(uri, 3, NAMES, timeout=3)


async def test_an_accept_then_a_hand_edit_of_the_file_both_hold(session: Session):
    s = session
    toml = s.root / "copydesk.toml"
    uri = s.open(s.root / "council.md", DRAFT)
    await s.wait_count(uri, 3, NAMES)
    await s.apply(await accept_action(s, uri, "Fereira"))
    await s.wait_count(uri, 2, NAMES)
    # The user edits the file by hand (another program, or the editor then :w).
    text = toml.read_text(encoding="utf-8").replace('accept = ["Fereira"]', 'accept = [] # none for now')
    toml.write_text(text, encoding="utf-8")
    await s.wait_count(uri, 3, NAMES, timeout=3)


async def test_a_line_with_two_findings_lists_each_fix_once(session: Session):
    s = session
    uri = s.open(s.root / "council.md", DRAFT)
    ds = await s.wait_count(uri, 3, NAMES)
    on_line = [d for d in ds if d["range"]["start"]["line"] == 10]
    assert len(on_line) == 2, ds
    # As Neovim asks: every diagnostic of the line, the range at the cursor (second "Hagle").
    line = DRAFT.split("\n")[10]
    col = units(line[: line.rindex("Hagle") + 2], s.encoding)
    cursor = {"start": {"line": 10, "character": col}, "end": {"line": 10, "character": col}}
    actions = await s.code_actions(uri, cursor, on_line, only=["quickfix"])
    titles = [a["title"] for a in actions]
    assert len(titles) == len(set(titles)), titles
    assert titles.count("Accept ‘Hagle’ as a different name") == 1, titles
    assert titles.count("Change all 2 ‘Hagle’ to ‘Hagel’") == 1, titles
    second_col = len(line[: line.rindex("Hagle")]) + 1
    first_col = len(line[: line.index("Hagle")]) + 1
    # The diagnostic under the cursor first, and its fix is the preferred one.
    assert titles[0] == f"Change to ‘Hagel’ (line 11, column {second_col})", titles
    assert actions[0].get("isPreferred") is True
    assert f"Change to ‘Hagel’ (line 11, column {first_col})" in titles, titles
    assert [a for a in actions if a.get("isPreferred")] == [actions[0]], titles
    # The shared fix says it fixes both diagnostics.
    change_all = next(a for a in actions if a["title"] == "Change all 2 ‘Hagle’ to ‘Hagel’")
    assert len(change_all["diagnostics"]) == 2


async def test_an_unknown_key_in_copydesk_toml_is_told_once_where_it_is(session: Session):
    s = session
    toml = s.root / "copydesk.toml"
    uri = s.open(s.root / "council.md", DRAFT)
    await s.wait_count(uri, 3, NAMES)
    toml.write_text('[name-spelling]\nseverity = "information"\n  colour-scheme = "red"\n', encoding="utf-8")
    await s.wait_diagnostics(uri, lambda ds: len(ds) == 3 and all(d["severity"] == 3 for d in ds),
                             "name-spelling at information", timeout=3)
    await asyncio.sleep(0.6)  # a few more polls of the file: nothing new to say
    told = [m for m in s.messages() if "colour-scheme" in m or "colourScheme" in m]
    assert told == [f"copydesk: {toml}:3:3: unknown setting `name-spelling.colour-scheme` ignored"], s.messages()
    assert not any("editor settings" in m for m in s.messages()), s.messages()


@pytest.mark.settings({"nameSpelling": {"severity": "loud", "fuzzy": False}, "duplicateParagraph": {"minWords": 5}})
async def test_a_bad_editor_setting_drops_that_key_only_and_names_it(session: Session):
    s = session
    uri = s.open(s.root / "council.md", DRAFT)
    # fuzzy = false still applies: Fereira/Ferreira and Hagle/Hagel differ by an edit, so
    # nothing is flagged; with the whole table dropped, three would be.
    await asyncio.sleep(1)
    assert await s.wait_count(uri, 0, NAMES) == []
    told = [m for m in s.messages() if "nameSpelling.severity" in m]
    assert len(told) == 1, s.messages()
    assert "editor settings" in told[0] and '"loud"' in told[0], told


async def test_hover_is_a_short_list_and_a_first_name_is_the_person(session: Session):
    s = session
    uri = s.open(s.root / "council.md", DRAFT)
    await s.wait_count(uri, 3, NAMES)
    line = DRAFT.split("\n")[2]
    pos = {"line": 2, "character": units(line[: line.index("Ana") + 1], s.encoding)}
    hover = await s.hover(uri, pos)
    assert hover is not None
    value = hover["contents"]["value"]
    assert value.startswith("**Ana Ferreira**"), value
    assert "|" not in value, f"a table: {value}"
    assert "- ‘Fereira’: 1 use, line 7" in value, value


async def test_copydesk_toml_opened_in_the_editor_is_settings_not_a_draft(session: Session):
    """VS Code syncs copydesk.toml as plain text: no diagnostics on it, and a save applies."""
    s = session
    toml = s.root / "copydesk.toml"
    uri = s.open(s.root / "council.md", DRAFT)
    await s.wait_count(uri, 3, NAMES)
    # A name list that would itself look like misspellings if read as prose.
    text = '[names]\naccept = ["Fereira", "Hagle"]\n# Ferreira Ferreira Ferreira Fereira\n'
    turi = s.open(toml, text, language="plaintext")
    await s.wait_count(uri, 0, NAMES, timeout=3)
    await asyncio.sleep(0.5)
    assert await s.diagnostics(turi) == []
