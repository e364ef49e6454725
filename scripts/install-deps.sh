#!/usr/bin/env bash
# Installs node_modules exactly as package-lock.json says (`npm ci`). The lockfile lists every
# platform's optional binaries (e.g. @msgpackr-extract/*, @unrs/resolver-binding-*): npm ci calls a
# lock "out of sync" when one is missing, even if this machine would not install it. After changing
# dependencies, commit the package-lock.json `npm install` writes, whole.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error </dev/null
