#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one libFuzzer target over its committed corpus for
# $BUURTEN_FUZZ_SECONDS (default 5) seconds. New inputs go to
# $BUURTEN_FUZZ_WORK/<target> when set (./dev fuzz keeps them), else to a
# temporary directory; the committed corpus is only read. A crash, a leak,
# a sanitizer report or a failed assertion fails the run and prints the
# input that caused it.
set -uo pipefail

target=$1
corpus=$2
seconds=${BUURTEN_FUZZ_SECONDS:-5}
name=$(basename "$target")

if [ -n "${BUURTEN_FUZZ_WORK:-}" ]; then
  work="$BUURTEN_FUZZ_WORK/$name"
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
artifacts=$(mktemp -d "/tmp/$name.artifacts.XXXXXX")

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export G_DEBUG=${G_DEBUG:-fatal-criticals}

"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$corpus" 2>"$artifacts/log"
rc=$?
grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added|Done)' \
  "$artifacts/log" || true
if [ "$rc" -ne 0 ]; then
  tail -n 60 "$artifacts/log"
  for f in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
    [ -e "$f" ] || continue
    echo "input that failed ($f):"
    head -c 2000 "$f" | od -c | head -n 40
  done
  echo "kept in $artifacts"
  exit "$rc"
fi
rm -rf "$artifacts"
exit 0
