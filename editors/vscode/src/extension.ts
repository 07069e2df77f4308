// The copydesk extension: starts `copydesk lsp` and connects it to VS Code.
// Everything editorial (rules, messages, fixes) lives in the server; this file only finds the
// server, passes settings, and adds three commands.

import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { findServer } from "./server";
import { SECTION, filterConfigurationItem, rustLog, serverSettings } from "./settings";

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("copydesk");

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
/** Serializes start/stop so that quick setting changes cannot start two servers. */
let lifecycle: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("copydesk");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("copydesk.restartServer", () => restart(context)),
    vscode.commands.registerCommand("copydesk.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("copydesk.fixAll", fixAllInActiveEditor),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Rule settings reach the running server through `workspace/didChangeConfiguration`
      // (the server registers for it and pulls the section). The executable and its
      // environment can only change with a new process.
      if (e.affectsConfiguration(`${SECTION}.server`)) {
        output.appendLine("copydesk.server settings changed: restarting the server");
        void restart(context);
      }
    }),
  );
  await enqueue(() => start(context));
}

export async function deactivate(): Promise<void> {
  await enqueue(stop);
}

function enqueue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

function restart(context: vscode.ExtensionContext): Promise<void> {
  return enqueue(async () => {
    await stop();
    await start(context);
  });
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop(5000);
    } catch (e) {
      output.appendLine(`stopping the server failed: ${String(e)}`);
    }
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const found = findServer({
    setting: config.get<string>("server.path", ""),
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    env: process.env,
    platform: process.platform,
  });
  if (found.kind === "not-found") {
    const why = found.badSetting
      ? `copydesk.server.path is set to "${found.badSetting}", which is not an executable file.`
      : "The copydesk language server was not found (tried the bundled binary and copydesk on PATH).";
    output.appendLine(`${why}\n  tried: ${found.tried.join("; ")}`);
    void vscode.window
      .showErrorMessage(`${why} Install copydesk or set copydesk.server.path.`, "Open Settings")
      .then((choice) => {
        if (choice === "Open Settings") {
          void openServerPathSetting();
        }
      });
    return;
  }
  output.appendLine(`starting ${found.command} lsp (${found.source})`);

  const env = { ...process.env, RUST_LOG: rustLog(config.get<string>("server.logLevel", "info")) };
  const run = { command: found.command, args: ["lsp"], transport: TransportKind.stdio, options: { env } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "untitled", language: "plaintext" },
    ],
    outputChannel: output,
    initializationOptions: () => serverSettings(vscode.workspace.getConfiguration(SECTION)),
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) {
            return result;
          }
          return result.map((value, i) => filterConfigurationItem(params.items[i]?.section, value));
        },
      },
    },
  };
  const c = new LanguageClient(SECTION, "copydesk", serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (e) {
    output.appendLine(`the server failed to start: ${String(e)}`);
    void vscode.window
      .showErrorMessage(`copydesk: the server (${found.command}) failed to start.`, "Show Output")
      .then((choice) => {
        if (choice === "Show Output") {
          output.show(true);
        }
      });
  }
}

/**
 * `copydesk.server.path` is machine-overridable: in a remote window (SSH, containers,
 * code-server) it lives in the Remote settings, where the User tab would show nothing.
 */
function openServerPathSetting(): Thenable<unknown> {
  const query = `${SECTION}.server.path`;
  return vscode.env.remoteName
    ? vscode.commands.executeCommand("workbench.action.openRemoteSettings", { query })
    : vscode.commands.executeCommand("workbench.action.openSettings", query);
}

/** "Fix all in this document": the server's `source.fixAll.copydesk` action, applied. */
async function fixAllInActiveEditor(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const doc = editor.document;
  const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      doc.uri,
      whole,
      FIX_ALL_KIND.value,
      10,
    )) ?? [];
  const ours = actions.filter((a) => a.kind !== undefined && FIX_ALL_KIND.contains(a.kind));
  if (ours.length === 0) {
    void vscode.window.showInformationMessage("copydesk: nothing in this document has a safe automatic fix.");
    return;
  }
  const action = ours[0];
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showWarningMessage("copydesk: the fixes could not be applied (the document changed?).");
    return;
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}
