#!/usr/bin/env bash
# Fuzz smoke for CI: builds the cargo-fuzz targets and runs each one for FUZZ_SECONDS
# (default 30) from the small corpus in fuzz/corpus. A crash fails the run; a machine that
# cannot build fuzz targets (no cargo-fuzz and no way to install it, no usable toolchain)
# prints SKIP and succeeds.
#
# Toolchain: nightly when rustup has one (with AddressSanitizer); otherwise the stable
# toolchain with RUSTC_BOOTSTRAP=1 (libFuzzer's coverage instrumentation, no sanitizer:
# the sanitizer runtimes ship with nightly only).
#   FUZZ_SECONDS=600 fuzz/smoke.sh     # a longer local run
set -euo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-30}"

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  tc=(+nightly); san=address
else
  export RUSTC_BOOTSTRAP=1; tc=(); san=none
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  if ! cargo install --locked cargo-fuzz; then
    echo "SKIP: fuzz smoke: cargo-fuzz could not be installed"; exit 0
  fi
fi

echo "== cargo ${tc[*]} fuzz build (sanitizer: $san)"
if ! cargo "${tc[@]}" fuzz build -O --sanitizer "$san"; then
  echo "SKIP: fuzz smoke: the fuzz targets do not build with this toolchain"; exit 0
fi

status=0
for target in analyze edits; do
  work="$(mktemp -d)"
  echo "== fuzz $target for ${secs}s"
  # New inputs go to a scratch directory; the committed corpus stays small.
  if ! cargo "${tc[@]}" fuzz run -O --sanitizer "$san" "$target" "$work" "corpus/$target" -- \
      -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1; then
    echo "FAIL: fuzz target $target crashed; the input is in fuzz/artifacts/$target/"
    status=1
  fi
  rm -rf "$work"
done
exit "$status"
