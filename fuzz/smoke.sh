#!/usr/bin/env bash
# Fuzz smoke (CI runs it from .ci/run): builds the cargo-fuzz targets and runs each one for
# FUZZ_SECONDS (default 30) from the small corpus in fuzz/corpus. See fuzz/README.md.
#
#   FUZZ_SECONDS=600 fuzz/smoke.sh          # a longer local run
#   FUZZ_TOOLCHAIN=stable fuzz/smoke.sh     # what CI does (see below)
#
# Toolchain (FUZZ_TOOLCHAIN): `auto` (default) takes nightly when rustup has one, with
# AddressSanitizer; `stable`, or auto without a nightly, takes the default (stable)
# toolchain with RUSTC_BOOTSTRAP=1 and no sanitizer (libFuzzer's coverage instrumentation
# works on stable; the sanitizer runtimes ship with nightly only).
#
# Outcome: a crash, a timeout (an input taking over 10 s) or a target that does not build
# fails (exit 1; the input is printed in base64 so it survives the CI log). A machine that
# cannot take part — no C++ compiler for libFuzzer, cargo-fuzz neither installed nor
# installable — prints SKIP and succeeds.
set -euo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-30}"
started=$(date +%s)

case "${FUZZ_TOOLCHAIN:-auto}" in
  auto)
    if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
      tc=(+nightly); san=address
    else
      export RUSTC_BOOTSTRAP=1; tc=(); san=none
    fi ;;
  stable) export RUSTC_BOOTSTRAP=1; tc=(); san=none ;;
  *) echo "FUZZ_TOOLCHAIN must be auto or stable"; exit 2 ;;
esac

if ! c++ --version >/dev/null 2>&1; then
  echo "SKIP: fuzz smoke: no C++ compiler to build libFuzzer"; exit 0
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz (about 2 min on 2 cores)"
  if ! cargo install --locked cargo-fuzz; then
    echo "SKIP: fuzz smoke: cargo-fuzz could not be installed"; exit 0
  fi
fi

echo "== cargo${tc[*]:+ ${tc[*]}} fuzz build -O --sanitizer $san (about 5 min on 2 cores from scratch)"
cargo "${tc[@]}" fuzz build -O --sanitizer "$san"
echo "== built in $(( $(date +%s) - started )) s"

status=0
for target in analyze edits; do
  work="$(mktemp -d)"
  echo "== fuzz $target for ${secs}s"
  # New inputs go to a scratch directory; the committed corpus stays small.
  if ! cargo "${tc[@]}" fuzz run -O --sanitizer "$san" "$target" "$work" "corpus/$target" -- \
      -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1; then
    echo "FAIL: fuzz target $target crashed; the input is in fuzz/artifacts/$target/:"
    for f in artifacts/"$target"/*; do
      [[ -f "$f" ]] && echo "  $f (base64): $(base64 -w0 "$f")"
    done
    echo "  Once fixed, copy it into fuzz/corpus/$target/: tests/fuzz_corpus.rs replays it."
    status=1
  fi
  rm -rf "$work"
done
echo "== fuzz smoke finished in $(( $(date +%s) - started )) s"
exit "$status"
