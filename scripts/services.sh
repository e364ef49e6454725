#!/usr/bin/env bash
# Makes PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) available for local development and CI:
# uses them when they answer, starts them when installed but stopped, installs them from Debian otherwise.
# Idempotent; safe to run before every `npm test` / `npm run demo`.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
WAIT_SECONDS=30
DATABASES=(psp_gateway psp_gateway_test)

log() { echo "services: $*"; }
die() {
  echo "services: ERROR: $*" >&2
  exit 1
}

apt_updated=0
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then
    die "$* not installed and not running, and installing needs root. Install it (sudo apt-get install -y $*) or start it yourself, then re-run."
  fi
  command -v apt-get >/dev/null || die "$* not installed and apt-get is not available; install and start it yourself."
  if [[ $apt_updated -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  log "installing $* from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# wait_for <name> <command...>: polls the command until it succeeds or WAIT_SECONDS pass.
wait_for() {
  local name=$1
  shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die "$name did not answer within ${WAIT_SECONDS}s"
    fi
    sleep 0.5
  done
}

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
pg_sql() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }

# Newest configured cluster version (directories named 13, 15, …).
latest_pg_version() {
  # shellcheck disable=SC2012 # plain numeric directory names
  ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true
}

pg_as_postgres() {
  if [[ $(id -un) == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}

# Local dev / CI only: the test and demo tooling connects as `postgres` without a password. A fresh Debian
# cluster uses scram-sha-256 for host connections, so trust 127.0.0.1 ahead of every other rule.
pg_trust_localhost() {
  local version=$1 hba
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  [[ -f $hba ]] || return 0
  # pg_hba.conf is first-match: the trust rule only helps if it is the first host rule.
  local first_host_rule
  first_host_rule=$(grep -E '^[[:space:]]*host' "$hba" | head -1 | tr -s '[:space:]' ' ' || true)
  if [[ ${first_host_rule% } != "host all all 127.0.0.1/32 trust" ]]; then
    log "pg_hba.conf: trusting 127.0.0.1 (local dev/CI only)"
    sed -i '1i # Added by scripts/services.sh for local dev/CI: passwordless TCP from 127.0.0.1.\nhost all all 127.0.0.1/32 trust' "$hba"
    pg_as_postgres pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
  fi
}

ensure_postgres() {
  if ! pg_up; then
    if ! command -v pg_ctlcluster >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
      apt_install postgresql postgresql-client
    fi
    local version
    version=$(latest_pg_version)
    if [[ -z $version ]]; then
      version=$(basename "$(dirname "$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -1)")")")
      log "creating PostgreSQL $version cluster 'main'"
      pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
    elif [[ ! -d /etc/postgresql/$version/main ]]; then
      log "creating PostgreSQL $version cluster 'main'"
      pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
    fi
    pg_trust_localhost "$version"
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
      pg_up || die "PostgreSQL $version failed to start (see /var/log/postgresql/)"
    wait_for "PostgreSQL" pg_up
  fi
  if ! pg_sql -c 'SELECT 1' >/dev/null 2>&1; then
    local version
    version=$(latest_pg_version)
    [[ -n $version && $(id -u) -eq 0 ]] && pg_trust_localhost "$version"
    wait_for "PostgreSQL (user postgres without password)" pg_sql -c 'SELECT 1'
  fi
  local db
  for db in "${DATABASES[@]}"; do
    if [[ -z $(pg_sql -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
      pg_sql -c "CREATE DATABASE \"$db\"" || [[ -n $(pg_sql -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]
    fi
  done
  log "postgres ok   ${PG_HOST}:${PG_PORT} ($(pg_sql -c 'SHOW server_version' | cut -d' ' -f1); databases: ${DATABASES[*]})"
}

redis_up() { [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

ensure_redis() {
  if ! redis_up; then
    command -v redis-server >/dev/null || apt_install redis-server
    # The Debian package may have started its own instance in the meantime.
    if ! redis_up; then
      mkdir -p /var/lib/redis /var/log/redis
      log "starting Redis"
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
        --maxmemory-policy noeviction --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
      wait_for "Redis" redis_up
    fi
  fi
  # BullMQ loses jobs silently under any eviction policy.
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" CONFIG SET maxmemory-policy noeviction >/dev/null ||
    log "warning: could not set maxmemory-policy noeviction (CONFIG disabled?)"
  local version
  version=$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" INFO server | tr -d '\r' | sed -n 's/^redis_version://p')
  log "redis ok      ${REDIS_HOST}:${REDIS_PORT} (${version}; maxmemory-policy noeviction)"
}

# psql / redis-cli are needed even when the servers run elsewhere (e.g. CI service containers).
need_clients=()
command -v pg_isready >/dev/null && command -v psql >/dev/null || need_clients+=(postgresql-client)
command -v redis-cli >/dev/null || need_clients+=(redis-tools)
if ((${#need_clients[@]})); then
  apt_install "${need_clients[@]}"
fi

ensure_postgres
ensure_redis
