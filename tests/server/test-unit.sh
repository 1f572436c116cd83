#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The shipped systemd unit (docs/buurten@.service): its sandboxing, scored
# offline by `systemd-analyze security` (lower is safer; 0-10). The score
# must stay at or below 1.5 ("OK"), with LimitNOFILE set, and the unit must
# parse. TAP.
#
#   test-unit.sh SOURCE_DIR
set -uo pipefail

top=$1
if ! command -v systemd-analyze >/dev/null; then
  echo "1..0 # SKIP systemd-analyze is not installed (./dev installs systemd)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$top/docs/buurten@.service" "$work/buurten@8080.service"
echo "1..3"

out=$(cd "$work" && systemd-analyze security --offline=true --no-pager buurten@8080.service 2>&1)
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for buurten@8080.service: \([0-9.]*\).*/\1/p')
if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }'; then
  echo "ok 1 - systemd-analyze security scores the unit $score (at most 1.5)"
else
  echo "not ok 1 - systemd-analyze security scores the unit ${score:-?} (at most 1.5)"
  printf '%s\n' "$out" | grep '✗' | sed 's/^/# /'
fi

if grep -q '^LimitNOFILE=[0-9]' "$work/buurten@8080.service" &&
   grep -q '^NoNewPrivileges=yes' "$work/buurten@8080.service" &&
   grep -q '^ProtectSystem=strict' "$work/buurten@8080.service"; then
  echo "ok 2 - LimitNOFILE, NoNewPrivileges and ProtectSystem=strict are set"
else
  echo "not ok 2 - LimitNOFILE, NoNewPrivileges and ProtectSystem=strict are set"
fi

# verify parses every directive; only the missing binary may be reported
# (it is not installed on a build machine).
problems=$(cd "$work" && systemd-analyze verify buurten@8080.service 2>&1 |
  grep -v 'is not executable\|Failed to prepare filename\|^$' || true)
if [ -z "$problems" ]; then
  echo "ok 3 - systemd-analyze verify finds nothing wrong in the unit"
else
  echo "not ok 3 - systemd-analyze verify finds nothing wrong in the unit"
  printf '%s\n' "$problems" | sed 's/^/# /'
fi
