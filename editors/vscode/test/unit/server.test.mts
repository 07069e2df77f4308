// Unit tests for what the extension decides without VS Code: which server runs, and what of
// the settings reaches it. Run with `npm test` (Node 24 strips the types).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { expandPath, findServer } from "../../src/server.ts";
import { filterConfigurationItem, rustLog, serverSettings } from "../../src/settings.ts";

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-unit-"));
}

function exe(dir: string, name = "copydesk"): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, 0o755);
  return file;
}

test("the setting wins over the bundled binary and PATH", () => {
  const d = tmpDir();
  const mine = exe(path.join(d, "mine"));
  exe(path.join(d, "ext", "server"));
  const found = findServer({
    setting: mine,
    extensionPath: path.join(d, "ext"),
    env: { PATH: path.join(d, "ext", "server") },
    platform: "linux",
  });
  assert.deepEqual(found, { kind: "found", command: mine, source: "setting" });
});

test("a setting that is not an executable is an error, not a fallback", () => {
  const d = tmpDir();
  exe(path.join(d, "ext", "server"));
  const found = findServer({ setting: path.join(d, "nope"), extensionPath: path.join(d, "ext"), env: {}, platform: "linux" });
  assert.equal(found.kind, "not-found");
  assert.equal(found.kind === "not-found" && found.badSetting, path.join(d, "nope"));
});

test("the bundled binary comes before PATH", () => {
  const d = tmpDir();
  const bundled = exe(path.join(d, "ext", "server"));
  exe(path.join(d, "bin"));
  const found = findServer({ setting: "", extensionPath: path.join(d, "ext"), env: { PATH: path.join(d, "bin") }, platform: "linux" });
  assert.deepEqual(found, { kind: "found", command: bundled, source: "bundled" });
});

test("then PATH; a file without the execute bit does not count", () => {
  const d = tmpDir();
  fs.mkdirSync(path.join(d, "a"));
  fs.writeFileSync(path.join(d, "a", "copydesk"), "not executable");
  const onPath = exe(path.join(d, "b"));
  const found = findServer({
    setting: "  ",
    extensionPath: path.join(d, "ext"),
    env: { PATH: [path.join(d, "a"), "", path.join(d, "b")].join(path.delimiter) },
    platform: "linux",
  });
  assert.deepEqual(found, { kind: "found", command: onPath, source: "path" });
});

test("nothing found lists what was tried", () => {
  const found = findServer({ setting: "", extensionPath: "/nonexistent", env: { PATH: "" }, platform: "linux" });
  assert.equal(found.kind, "not-found");
  assert.equal(found.kind === "not-found" && found.tried.length, 2);
});

test("paths: ~, ${workspaceFolder}, relative to the workspace", () => {
  assert.equal(expandPath("~/bin/copydesk", undefined), path.join(os.homedir(), "bin/copydesk"));
  assert.equal(expandPath("${workspaceFolder}/bin/copydesk", "/ws"), "/ws/bin/copydesk");
  assert.equal(expandPath("bin/copydesk", "/ws"), "/ws/bin/copydesk");
  assert.equal(expandPath("/usr/bin/copydesk", "/ws"), "/usr/bin/copydesk");
});

// What VS Code returns for getConfiguration("copydesk"): data plus methods.
const section = {
  duplicateParagraph: { enabled: true, severity: "warning", minWords: 8 },
  names: { accept: ["al-Sisi"], prefer: { Qaddafi: "Gaddafi" } },
  server: { path: "", logLevel: "info" },
  trace: { server: "off" },
  get: () => undefined,
  has: () => false,
};

test("the server gets the rule settings, not the client's own keys or methods", () => {
  assert.deepEqual(serverSettings(section), {
    duplicateParagraph: { enabled: true, severity: "warning", minWords: 8 },
    names: { accept: ["al-Sisi"], prefer: { Qaddafi: "Gaddafi" } },
  });
});

test("workspace/configuration answers are filtered by the section asked for", () => {
  assert.deepEqual(Object.keys(filterConfigurationItem("copydesk", section) as object), ["duplicateParagraph", "names"]);
  const whole = filterConfigurationItem(undefined, { copydesk: section, editor: { tabSize: 4 } }) as Record<string, object>;
  assert.deepEqual(Object.keys(whole.copydesk), ["duplicateParagraph", "names"]);
  assert.deepEqual(whole.editor, { tabSize: 4 });
  assert.deepEqual(filterConfigurationItem("copydesk.server", { path: "x" }), { path: "x" });
  assert.equal(filterConfigurationItem("copydesk", null), null);
});

test("log levels become RUST_LOG filters", () => {
  assert.equal(rustLog("debug"), "warn,copydesk=debug");
  assert.equal(rustLog("error"), "error");
  assert.equal(rustLog("loud"), "warn,copydesk=info");
});
