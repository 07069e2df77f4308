"""Checks that every message from the server respects the capabilities the client declared.

pytest-lsp ships only a few such checks (completion items, document links, two server
requests). These add the ones that matter for copydesk: position encoding, diagnostics
(pushed or pulled), code actions and their workspace edits, hover, and every request the
server may send to the client. A violation is an `LspSpecificationWarning`; the suite runs
with `-W error::pytest_lsp.LspSpecificationWarning`, so it fails the test.

Results of client requests are checked through pytest-lsp's own registry
(`check_result_for`), in the test's context. Server-to-client messages are checked by
`CheckingProtocol` as they arrive; violations are kept on the client and raised as warnings
when the test ends (a warning raised inside the protocol's callbacks would be lost).
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter
from pytest_lsp.checks import check_result_for
from pytest_lsp.protocol import LanguageClientProtocol

_conv = get_converter()


def plain(obj: Any) -> Any:
    """lsprotocol objects as the JSON the wire carries (camelCase dicts)."""
    return _conv.unstructure(obj)


def cap(caps: dict, path: str, default: Any = None) -> Any:
    cur: Any = caps
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return default
        cur = cur[part]
    return cur


class Violations(list):
    def need(self, ok: bool, message: str) -> None:
        if not ok:
            self.append(message)


# --- the pieces -------------------------------------------------------------------------------


def check_diagnostic(caps: dict, d: dict, pulled: bool, v: Violations) -> None:
    publish = cap(caps, "textDocument.publishDiagnostics", {}) or {}
    pull = cap(caps, "textDocument.diagnostic", {}) or {}

    def allowed(key: str) -> Any:
        # LSP 3.18 gives pull diagnostics their own copies of these flags; a 3.17 client
        # declares them only under publishDiagnostics.
        if pulled and key in pull:
            return pull[key]
        return publish.get(key)

    where = f"diagnostic {d.get('code')!r} at {d['range']['start']}"
    if d.get("relatedInformation"):
        v.need(bool(allowed("relatedInformation")), f"{where}: relatedInformation not supported")
    if d.get("codeDescription"):
        v.need(bool(allowed("codeDescriptionSupport")), f"{where}: codeDescription not supported")
    if "data" in d and d["data"] is not None:
        v.need(bool(allowed("dataSupport")), f"{where}: data not supported")
    if d.get("tags"):
        supported = (allowed("tagSupport") or {}).get("valueSet", [])
        v.need(all(t in supported for t in d["tags"]), f"{where}: tags {d['tags']} not supported")
    if "severity" in d:
        v.need(d["severity"] in (1, 2, 3, 4), f"{where}: bad severity {d['severity']}")
    check_range(d["range"], where, v)


def check_range(r: dict, where: str, v: Violations) -> None:
    s, e = r["start"], r["end"]
    v.need((s["line"], s["character"]) <= (e["line"], e["character"]), f"{where}: range ends before it starts")


def check_workspace_edit(caps: dict, edit: dict, where: str, v: Violations) -> None:
    we = cap(caps, "workspace.workspaceEdit", {}) or {}
    resource_ops = we.get("resourceOperations") or []
    annotations = bool(we.get("changeAnnotationSupport"))
    if edit.get("documentChanges") is not None:
        # "If a client neither supports documentChanges nor resourceOperations then only plain
        # TextEdits using the changes property are supported."
        v.need(bool(we.get("documentChanges")) or bool(resource_ops),
               f"{where}: documentChanges sent to a client that supports neither documentChanges "
               "nor resource operations")
        for change in edit["documentChanges"]:
            kind = change.get("kind")
            if kind is not None:
                v.need(kind in resource_ops, f"{where}: resource operation {kind!r} not supported")
                v.need(change.get("annotationId") is None or annotations,
                       f"{where}: change annotations not supported")
            else:
                for e in change["edits"]:
                    v.need("annotationId" not in e or annotations, f"{where}: annotated edits not supported")
                    check_range(e["range"], where, v)
    for edits in (edit.get("changes") or {}).values():
        for e in edits:
            check_range(e["range"], where, v)
    v.need(not edit.get("changeAnnotations") or annotations, f"{where}: changeAnnotations not supported")


def check_code_action(caps: dict, a: dict, v: Violations) -> None:
    ca = cap(caps, "textDocument.codeAction", {}) or {}
    where = f"code action {a.get('title')!r}"
    if "kind" not in a and "command" in a and isinstance(a["command"], str):
        # A bare Command: fine for any client.
        return
    v.need(bool(ca.get("codeActionLiteralSupport")), f"{where}: CodeAction literals not supported")
    if a.get("isPreferred") is not None:
        v.need(bool(ca.get("isPreferredSupport")), f"{where}: isPreferred not supported")
    if a.get("disabled") is not None:
        v.need(bool(ca.get("disabledSupport")), f"{where}: disabled not supported")
    if a.get("data") is not None:
        v.need(bool(ca.get("dataSupport")), f"{where}: data not supported")
    if a.get("edit") is None and a.get("command") is None:
        props = cap(ca, "resolveSupport.properties", []) or []
        v.need("edit" in props, f"{where}: neither edit nor command, and the client cannot resolve edits")
    if a.get("edit") is not None:
        check_workspace_edit(caps, a["edit"], where, v)
    for d in a.get("diagnostics") or []:
        check_diagnostic(caps, d, bool(cap(caps, "textDocument.diagnostic")), v)


def check_markup(caps: dict, contents: Any, formats_path: str, where: str, v: Violations) -> None:
    formats = cap(caps, formats_path, None)
    if isinstance(contents, dict) and "kind" in contents:
        if formats is not None:
            v.need(contents["kind"] in formats, f"{where}: markup kind {contents['kind']!r} not in {formats}")
        elif contents["kind"] != "plaintext":
            v.append(f"{where}: markdown sent to a client that declared no content formats")


# --- server-to-client messages ------------------------------------------------------------------

# Methods a server may register dynamically, and where the client says it allows that.
_DYNAMIC = {
    "workspace/didChangeWatchedFiles": "workspace.didChangeWatchedFiles.dynamicRegistration",
    "workspace/didChangeConfiguration": "workspace.didChangeConfiguration.dynamicRegistration",
    "workspace/executeCommand": "workspace.executeCommand.dynamicRegistration",
    "workspace/symbol": "workspace.symbol.dynamicRegistration",
    "textDocument/didOpen": "textDocument.synchronization.dynamicRegistration",
    "textDocument/didChange": "textDocument.synchronization.dynamicRegistration",
    "textDocument/didClose": "textDocument.synchronization.dynamicRegistration",
    "textDocument/didSave": "textDocument.synchronization.dynamicRegistration",
    "textDocument/diagnostic": "textDocument.diagnostic.dynamicRegistration",
    "textDocument/codeAction": "textDocument.codeAction.dynamicRegistration",
    "textDocument/hover": "textDocument.hover.dynamicRegistration",
}

# Server-to-client requests, and the capability that allows each (None: always allowed).
_REQUESTS = {
    "workspace/configuration": "workspace.configuration",
    "workspace/workspaceFolders": "workspace.workspaceFolders",
    "workspace/applyEdit": "workspace.applyEdit",
    "workspace/diagnostic/refresh": "workspace.diagnostics.refreshSupport",
    "workspace/codeLens/refresh": "workspace.codeLens.refreshSupport",
    "workspace/inlayHint/refresh": "workspace.inlayHint.refreshSupport",
    "workspace/semanticTokens/refresh": "workspace.semanticTokens.refreshSupport",
    "window/workDoneProgress/create": "window.workDoneProgress",
    "window/showDocument": "window.showDocument.support",
    "window/showMessageRequest": None,
    "client/registerCapability": None,
    "client/unregisterCapability": None,
}

_NOTIFICATIONS = {
    "textDocument/publishDiagnostics", "window/showMessage", "window/logMessage",
    "telemetry/event", "$/progress", "$/logTrace", "$/cancelRequest",
}


def check_server_request(caps: dict, method: str, params: dict, v: Violations) -> None:
    if method not in _REQUESTS:
        v.append(f"server sent request {method!r}, which this client does not know")
        return
    path = _REQUESTS[method]
    if path is not None:
        v.need(bool(cap(caps, path)), f"server sent {method!r} but the client did not declare {path}")
    if method == "client/registerCapability":
        for reg in params.get("registrations", []):
            m = reg["method"]
            flag = _DYNAMIC.get(m)
            v.need(flag is not None and bool(cap(caps, flag)),
                   f"server registered {m!r} dynamically; the client did not declare {flag or 'support'}")
    if method == "workspace/applyEdit":
        check_workspace_edit(caps, params["edit"], "workspace/applyEdit", v)


def check_server_notification(caps: dict, method: str, params: dict, v: Violations) -> None:
    if method not in _NOTIFICATIONS:
        v.append(f"server sent notification {method!r}, which this client does not know")
        return
    if method == "textDocument/publishDiagnostics":
        pd = cap(caps, "textDocument.publishDiagnostics")
        v.need(pd is not None, "publishDiagnostics sent to a client that did not declare it")
        for d in params.get("diagnostics", []):
            check_diagnostic(caps, d, False, v)


class CheckingProtocol(LanguageClientProtocol):
    """pytest-lsp's client protocol, checking every server-to-client message."""

    def _caps(self) -> dict | None:
        c = self._server.capabilities
        return plain(c) if c is not None else None

    def _record(self, fn, method, params):
        caps = self._caps()
        if caps is None:
            return
        v = Violations()
        fn(caps, method, plain(params) if params is not None else {}, v)
        self._server.spec_violations.extend(v)

    def _handle_request(self, msg_id, method_name, params):
        self._record(check_server_request, method_name, params)
        self._server.server_requests.append((method_name, plain(params) if params is not None else None))
        return super()._handle_request(msg_id, method_name, params)

    def _handle_notification(self, method_name, params):
        self._record(check_server_notification, method_name, params)
        return super()._handle_notification(method_name, params)


# --- results of client requests, through pytest-lsp's registry ---------------------------------


def _raise(v: Violations) -> None:
    # pytest-lsp turns an AssertionError from a check into an LspSpecificationWarning.
    assert not v, "; ".join(v)


@check_result_for(method=types.INITIALIZE)
def _initialize(capabilities: types.ClientCapabilities, result: types.InitializeResult) -> None:
    caps, res, v = plain(capabilities), plain(result), Violations()
    offered = cap(caps, "general.positionEncodings") or ["utf-16"]
    chosen = cap(res, "capabilities.positionEncoding", "utf-16")
    v.need(chosen in offered or chosen == "utf-16",
           f"positionEncoding {chosen!r} was not offered (client offered {offered})")
    _raise(v)


@check_result_for(method=types.TEXT_DOCUMENT_CODE_ACTION)
def _code_actions(capabilities: types.ClientCapabilities, result: Any) -> None:
    caps, v = plain(capabilities), Violations()
    for a in plain(result) or []:
        check_code_action(caps, a, v)
    _raise(v)


@check_result_for(method=types.CODE_ACTION_RESOLVE)
def _code_action_resolve(capabilities: types.ClientCapabilities, result: Any) -> None:
    caps, v = plain(capabilities), Violations()
    v.need(bool(cap(caps, "textDocument.codeAction.resolveSupport")), "codeAction/resolve: client cannot resolve")
    check_code_action(caps, plain(result), v)
    _raise(v)


@check_result_for(method=types.TEXT_DOCUMENT_DIAGNOSTIC)
def _pulled(capabilities: types.ClientCapabilities, result: Any) -> None:
    caps, v = plain(capabilities), Violations()
    res = plain(result) or {}
    for d in res.get("items", []):
        check_diagnostic(caps, d, True, v)
    for related in (res.get("relatedDocuments") or {}).values():
        v.need(bool(cap(caps, "textDocument.diagnostic.relatedDocumentSupport")),
               "relatedDocuments not supported")
        for d in related.get("items", []):
            check_diagnostic(caps, d, True, v)
    _raise(v)


@check_result_for(method=types.TEXT_DOCUMENT_HOVER)
def _hover(capabilities: types.ClientCapabilities, result: Any) -> None:
    caps, v = plain(capabilities), Violations()
    res = plain(result)
    if res:
        check_markup(caps, res["contents"], "textDocument.hover.contentFormat", "hover", v)
        if res.get("range"):
            check_range(res["range"], "hover", v)
    _raise(v)
