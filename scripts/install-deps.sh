#!/usr/bin/env bash
# Installs node_modules exactly as package-lock.json says. `npm ci` is preferred, but it refuses this
# lockfile when the registry lacks another platform's optional binary (e.g. msgpackr-extract-darwin-arm64
# at the locked version): the lock cannot list it, and npm ci then calls the lock out of sync. In that
# case `npm install --no-save` installs the same locked versions without rewriting any file.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(--no-audit --no-fund --loglevel=error)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm ci "${flags[@]}" </dev/null 2>"$log"; then
  if ! grep -q 'in sync' "$log"; then
    cat "$log" >&2
    exit 1
  fi
  echo "install-deps: npm ci refused the lockfile (optional packages missing from the registry); using npm install --no-save"
  npm install --no-save "${flags[@]}" </dev/null
fi
