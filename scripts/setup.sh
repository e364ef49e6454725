#!/usr/bin/env bash
# The one set-up step in front of `npm test`, `npm run demo` and `npm run sandbox`: dependencies,
# PostgreSQL + Redis, Prisma client, build, migrations. Each step is skipped when it has nothing to do,
# so a second run takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { echo "setup: $*"; }

# Node.js as package.json engines asks (installed into .tools/ from the npm registry if the machine's
# is older). A caller that wants the same node afterwards sources scripts/node-runtime.sh too.
source scripts/node-runtime.sh

# newer_than <file> <paths...>: true if <file> is missing or any file under <paths> is newer.
newer_than() {
  local stamp=$1
  shift
  [[ ! -e $stamp ]] && return 0
  [[ -n $(find "$@" -type f -newer "$stamp" -print -quit 2>/dev/null) ]]
}

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "installing node_modules"
  bash scripts/install-deps.sh
else
  step "node_modules up to date"
fi

bash scripts/services.sh

# `--test`: the queue dashboard's e2e test drives Debian's headless chromium (never a downloaded
# browser). Installed once, as root, from Debian's packages.
if [[ ${1:-} == --test ]]; then
  if [[ -x /usr/bin/chromium ]]; then
    step "chromium present"
  elif [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    step "installing chromium from Debian (browser tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    step "WARNING: /usr/bin/chromium is missing and cannot be installed without root; the dashboard e2e test will fail (sudo apt-get install -y chromium)"
  fi
fi

GENERATED_CLIENT=libs/persistence/src/generated/prisma/client.ts
if newer_than "$GENERATED_CLIENT" prisma/schema.prisma; then
  step "prisma generate"
  bash scripts/prisma-generate.sh >/dev/null
else
  step "prisma client up to date"
fi

BUILD_STAMP=dist/.build-stamp
if newer_than "$BUILD_STAMP" apps libs scripts bench prisma package.json package-lock.json tsconfig.json tsconfig.build.json; then
  step "npm run build"
  mkdir -p dist
  # Stamped with the time the build started, so edits made during the build trigger the next one.
  touch "$BUILD_STAMP.next"
  npm run --silent build
  mv "$BUILD_STAMP.next" "$BUILD_STAMP"
else
  step "build up to date"
fi

# These are local development/test databases on 127.0.0.1 only. If one no longer matches the
# migrations directory (typically: a migration was regenerated during development), it is recreated.
migrate() {
  local db=$1 url="postgresql://postgres@127.0.0.1:5432/$1"
  if ! DATABASE_URL=$url node dist/libs/persistence/src/migrate/migrate.cli.js; then
    step "WARNING: $db does not accept the migrations (see above); recreating this local database"
    psql -h 127.0.0.1 -U postgres -d postgres -qAtX -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
    DATABASE_URL=$url node dist/libs/persistence/src/migrate/migrate.cli.js
  fi
}
# The database names follow DATABASE_URL / TEST_DATABASE_URL when set (several checkouts on one machine).
db_name() {
  local url=${1%%\?*}
  echo "${url##*/}"
}
migrate "$(db_name "${DATABASE_URL:-/psp_gateway}")"
migrate "$(db_name "${TEST_DATABASE_URL:-/psp_gateway_test}")"
step "done"
