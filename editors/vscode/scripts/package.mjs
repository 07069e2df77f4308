// `npm run package`: build the release server, bundle it into server/, and write a
// platform-specific .vsix into editors/vscode/ (e.g. copydesk-linux-x64-0.1.0.vsix).
//
// Environment:
//   COPYDESK_SERVER_BINARY  use this prebuilt executable instead of running cargo
//   VSCE_TARGET             override the vsce target (default: this machine's, e.g. linux-x64)
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const extDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(extDir, "..", "..");
const exe = process.platform === "win32" ? "copydesk.exe" : "copydesk";

/** @param {string} cmd @param {string[]} args @param {import("node:child_process").SpawnSyncOptions} [opts] */
function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.error) {
    throw r.error;
  }
  if (r.status !== 0) {
    console.error(`${cmd} failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
  return r;
}

/** Build with cargo and return the path of the `copydesk` executable it reports. */
function cargoBuild() {
  console.log(`$ cargo build --release --locked --bin copydesk   (in ${repoRoot})`);
  const r = spawnSync(
    "cargo",
    ["build", "--release", "--locked", "--bin", "copydesk", "--message-format=json-render-diagnostics"],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.error) {
    throw r.error;
  }
  if (r.status !== 0) {
    console.error(`cargo build failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
  let executable;
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) {
      continue;
    }
    const msg = JSON.parse(line);
    if (msg.reason === "compiler-artifact" && msg.executable && msg.target?.name === "copydesk") {
      executable = msg.executable;
    }
  }
  if (!executable) {
    console.error("cargo did not report a copydesk executable");
    process.exit(1);
  }
  return executable;
}

function vsceTarget() {
  if (process.env.VSCE_TARGET) {
    return process.env.VSCE_TARGET;
  }
  /** @type {Record<string, string>} */
  const platforms = { linux: "linux", darwin: "darwin", win32: "win32" };
  /** @type {Record<string, string>} */
  const arches = { x64: "x64", arm64: "arm64", arm: "armhf" };
  const platform = platforms[process.platform];
  const arch = arches[process.arch];
  if (!platform || !arch) {
    console.error(`no vsce target for ${process.platform}-${process.arch}; set VSCE_TARGET`);
    process.exit(1);
  }
  return `${platform}-${arch}`;
}

const binary = process.env.COPYDESK_SERVER_BINARY || cargoBuild();
const serverDir = path.join(extDir, "server");
fs.rmSync(serverDir, { recursive: true, force: true });
fs.mkdirSync(serverDir, { recursive: true });
const bundled = path.join(serverDir, exe);
fs.copyFileSync(binary, bundled);
fs.chmodSync(bundled, 0o755);
// The release profile keeps line tables for the lead's profiling; users need no debug info.
if (process.platform === "linux" && spawnSync("strip", ["--version"]).status === 0) {
  run("strip", ["--strip-debug", bundled]);
}
console.log(`bundled ${binary} -> ${path.relative(extDir, bundled)} (${fs.statSync(bundled).size} bytes)`);

const target = vsceTarget();
const version = JSON.parse(fs.readFileSync(path.join(extDir, "package.json"), "utf8")).version;
const out = `copydesk-${target}-${version}.vsix`;
const vsce = path.join(extDir, "node_modules", ".bin", "vsce");
// The extension is bundled by esbuild (vscode:prepublish), so node_modules stays out.
run(vsce, ["package", "--no-dependencies", "--target", target, "--out", out], { cwd: extDir });
console.log(`wrote ${path.join(extDir, out)}`);
