"""pytest-lsp fixtures: copydesk under the captured Neovim and VS Code client capabilities.

The server binary is `target/release/copydesk` (override with COPYDESK_BIN); the seed
articles are `../shared/eval/articles` next to the repository (override with
COPYDESK_ARTICLES). Each test gets a fresh server and a fresh workspace folder (with a `.git`
marker), once per client.

Markers:
    @pytest.mark.settings({...})      the `copydesk` section answered to workspace/configuration
    @pytest.mark.init_options({...})  initializationOptions
"""

from __future__ import annotations

import asyncio
import os
import pathlib
import warnings
from typing import Any, Union

import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, LspSpecificationWarning, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from session import REPO, Session
from spec_checks import CheckingProtocol, plain

SERVER = os.environ.get("COPYDESK_BIN", str(REPO / "target" / "release" / "copydesk"))
ARTICLES = pathlib.Path(os.environ.get("COPYDESK_ARTICLES", REPO.parent / "shared" / "eval" / "articles"))
SEED = ARTICLES / "00-cyber-dialogue.txt"

# pytest-lsp's names for its captured capability sets (latest version of each).
CLIENTS = ["neovim", "visual-studio-code"]


def pytest_configure(config):
    config.addinivalue_line("markers", "settings(section): the copydesk settings section")
    config.addinivalue_line("markers", "init_options(value): initializationOptions")


def converter():
    """pygls' converter, with one fix: lsprotocol 2025.0.0 reads any code action that has a
    `command` as a bare Command (`"command" in obj`), dropping its kind and edit. A bare
    Command's `command` is a string; a CodeAction's is an object."""
    conv = default_converter()

    def code_action_or_command(obj: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(obj.get("command"), str):
            return conv.structure(obj, types.Command)
        return conv.structure(obj, types.CodeAction)

    conv.register_structure_hook(Union[types.Command, types.CodeAction], code_action_or_command)
    return conv


def make_client() -> LanguageClient:
    client = LanguageClient(protocol_cls=CheckingProtocol, converter_factory=converter)
    client.spec_violations = []
    client.server_requests = []
    client.written_files = []
    client.pushed = {}  # uri -> (version, diagnostics as dicts), the latest push

    def on_publish(c: LanguageClient, params: types.PublishDiagnosticsParams):
        c.pushed[params.uri] = (params.version, plain(params.diagnostics))

    def on_register(c: LanguageClient, params: types.RegistrationParams):
        return None

    def on_unregister(c: LanguageClient, params: types.UnregistrationParams):
        return None

    def on_folders(c: LanguageClient, params: None):
        return c.workspace_folders

    def on_refresh(c: LanguageClient, params: None):
        c.diagnostic_refresh_count += 1
        if getattr(c, "session", None) is not None:
            c.session.refresh()

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.WORKSPACE_DIAGNOSTIC_REFRESH] = on_refresh
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish
    features[types.CLIENT_REGISTER_CAPABILITY] = on_register
    features[types.CLIENT_UNREGISTER_CAPABILITY] = on_unregister
    features[types.WORKSPACE_WORKSPACE_FOLDERS] = on_folders
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[SERVER, "lsp"], client_factory=make_client),
    params=CLIENTS,
)
async def lsp(lsp_client: LanguageClient, request):
    """The server, started; `session` initializes it (after reading the markers)."""
    lsp_client.client_name = request.param
    yield
    # shutdown + exit, unless the test did; pytest-lsp then waits for the process, so never
    # leave it running.
    server = lsp_client._server
    if server is None or server.returncode is not None:
        return
    try:
        await asyncio.wait_for(lsp_client.shutdown_session(), 10)
    except Exception:
        pass
    if server.returncode is None:
        try:
            await asyncio.wait_for(server.wait(), 5)
        except asyncio.TimeoutError:
            server.kill()
            await server.wait()
            raise AssertionError("the server did not exit after shutdown and exit") from None


@pytest_asyncio.fixture
async def session(lsp: LanguageClient, request, tmp_path):
    name = lsp.client_name
    root = tmp_path / "ws"
    (root / ".git").mkdir(parents=True)
    settings = request.node.get_closest_marker("settings")
    if settings is not None:
        lsp.set_configuration(settings.args[0], section="copydesk")
    init_options = request.node.get_closest_marker("init_options")
    folder = types.WorkspaceFolder(uri=root.as_uri(), name=root.name)
    lsp.workspace_folders = [folder]
    result = await lsp.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(name),
        client_info=types.ClientInfo(name=f"pytest-lsp as {name}"),
        root_uri=root.as_uri(),
        workspace_folders=[folder],
        initialization_options=init_options.args[0] if init_options else None,
    ))
    yield Session(lsp, name, root, result)
    if lsp.spec_violations:
        warnings.warn("; ".join(lsp.spec_violations), LspSpecificationWarning, stacklevel=1)


@pytest.fixture
def seed_text() -> str:
    assert SEED.exists(), f"seed article missing: {SEED} (set COPYDESK_ARTICLES)"
    return SEED.read_text(encoding="utf-8")
