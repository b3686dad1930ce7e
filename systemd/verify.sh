#!/bin/sh
# Checks the shipped unit with systemd-analyze verify and fails on any output, not just on errors:
# verify only warns about an unknown key or a misspelt section and still exits 0 (docs/design.md §7).
# Usage: systemd/verify.sh [unit-file]   (.ci/run calls it without arguments)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
unit=${1:-$here/songnodes-watchdog.service}
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "verify.sh: systemd-analyze not found (apt-get install systemd)" >&2
  exit 2
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# --man=no: man pages need not be installed in CI.
status=0
timeout 60 systemd-analyze verify --man=no "$unit" >"$out" 2>&1 || status=$?
if [ "$status" -ne 0 ] || [ -s "$out" ]; then
  echo "verify.sh: $unit is not clean (exit $status):" >&2
  cat "$out" >&2
  exit 1
fi
echo "verify.sh: $(basename "$unit") verified, no warnings"
