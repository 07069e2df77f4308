// Finding the `copydesk` executable, the way users expect (STYLE.md item 13):
// 1. the `copydesk.server.path` setting;
// 2. the binary bundled in a platform-specific .vsix (`server/copydesk`);
// 3. `copydesk` on PATH.
// This module knows nothing about VS Code, so the order is easy to read and to test.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type ServerSource = "setting" | "bundled" | "path";

export interface Found {
  kind: "found";
  command: string;
  source: ServerSource;
}

export interface NotFound {
  kind: "not-found";
  /** What was tried, in order, for the error message. */
  tried: string[];
  /** Set when the setting names a file that is not an executable. */
  badSetting?: string;
}

export interface Lookup {
  /** Value of `copydesk.server.path` (may be empty). */
  setting: string;
  /** Directory the extension is installed in. */
  extensionPath: string;
  /** First workspace folder, for `${workspaceFolder}` and relative paths. */
  workspaceFolder?: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

export function exeName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "copydesk.exe" : "copydesk";
}

export function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `~`, `${workspaceFolder}`, `${userHome}` and relative paths (to the workspace folder). */
export function expandPath(p: string, workspaceFolder: string | undefined): string {
  let out = p.trim();
  out = out.replace(/\$\{userHome\}/g, os.homedir());
  if (workspaceFolder) {
    out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  if (out === "~" || out.startsWith("~/")) {
    out = path.join(os.homedir(), out.slice(1));
  }
  if (!path.isAbsolute(out) && workspaceFolder) {
    out = path.join(workspaceFolder, out);
  }
  return out;
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

export function findServer(l: Lookup): Found | NotFound {
  const name = exeName(l.platform);
  const tried: string[] = [];
  if (l.setting.trim() !== "") {
    const configured = expandPath(l.setting, l.workspaceFolder);
    if (isExecutable(configured)) {
      return { kind: "found", command: configured, source: "setting" };
    }
    // An explicit setting that does not work is an error, not a reason to run something else.
    return { kind: "not-found", tried: [`copydesk.server.path: ${configured}`], badSetting: configured };
  }
  const bundled = path.join(l.extensionPath, "server", name);
  tried.push(`bundled: ${bundled}`);
  if (isExecutable(bundled)) {
    return { kind: "found", command: bundled, source: "bundled" };
  }
  tried.push(`${name} on PATH`);
  const onPath = findOnPath(name, l.env);
  if (onPath) {
    return { kind: "found", command: onPath, source: "path" };
  }
  return { kind: "not-found", tried };
}
