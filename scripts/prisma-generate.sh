#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
PRISMA_SCHEMA_ENGINE_BINARY="$PWD/scripts/schema-engine-unavailable.sh" \
PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1 \
  npx --no-install prisma generate
