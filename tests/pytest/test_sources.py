"""Quotations checked against the reporter's recordings (issue 15), as Neovim and as VS Code:
a transcript appears under sources/ (announced with workspace/didChangeWatchedFiles, as the
editors' file watchers do), the draft's misquote is reported with related information in the
transcript, hover verifies a quotation, and "Use the source's wording" restores the
recording's words and nothing else.
"""

from __future__ import annotations

import shutil

from lsprotocol import types

from session import REPO, Session

VTT = REPO / "tests" / "eval-sources" / "sources" / "council-meeting.vtt"
DRAFT = (
    "Dana Whitlock chairs the finance committee.\n\n"
    "“We found a million dollars in savings across the departments over five years,” Whitlock said.\n\n"
    "“The transit authority will not raise fares before the election in November,” Whitlock said.\n"
)


async def test_misquote_from_a_new_transcript_and_its_fix(session: Session):
    s = session
    (s.root / "sources").mkdir()
    src = s.root / "sources" / "council-meeting.vtt"
    shutil.copy(VTT, src)
    s.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=src.as_uri(), type=types.FileChangeType.Created)]))
    uri = s.open(s.root / "budget.md", DRAFT)
    ds = await s.wait_diagnostics(uri, lambda ds: any(d.get("code") == "misquote" for d in ds),
                                  "a misquote", timeout=20)
    mq = [d for d in ds if d.get("code") == "misquote"]
    assert len(mq) == 1, mq
    assert mq[0]["message"] == (
        "Quotation differs from the source (council-meeting.vtt 00:41:07, Dana Whitlock): "
        "‘million’ where the recording has ‘billion’")
    assert mq[0]["source"] == "copydesk"
    assert s.covered(uri, mq[0]["range"]).startswith("“We found a million")
    related = mq[0].get("relatedInformation") or []
    if related:
        assert related[0]["location"]["uri"] == src.as_uri()

    # The correct quotation is verified on hover.
    hover = await s.hover(uri, {"line": 4, "character": 5})
    assert hover is not None
    assert hover["contents"]["value"].startswith("Verified: council-meeting.vtt 00:41:17 (Dana Whitlock)"), hover

    actions = await s.code_actions(uri, mq[0]["range"], [mq[0]], only=["quickfix"])
    fix = next(a for a in actions if a["title"] == "Use the source's wording")
    assert fix.get("isPreferred") is True
    await s.apply(fix)
    assert s.texts[uri] == DRAFT.replace("a million dollars", "a billion dollars")
    await s.wait_count(uri, 0, code="misquote")
