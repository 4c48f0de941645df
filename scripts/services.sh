#!/usr/bin/env bash
# Starts what the queue-mode end-to-end test needs on this machine, installing it when missing:
# PostgreSQL (a login role that may create databases, by password on 127.0.0.1) and Redis on
# 127.0.0.1. Meant for a fresh Debian machine as root (CI); safe to run again: whatever already
# runs is left as it is. The test reads the same names and defaults (see README, "Queue mode").
set -euo pipefail

PG_USER="${WRITER_E2E_PG_USER:-${PGUSER:-writer_e2e}}"
PG_PASSWORD="${WRITER_E2E_PG_PASSWORD:-${PGPASSWORD:-writer_e2e}}"
PG_PORT="${WRITER_E2E_PG_PORT:-${PGPORT:-5432}}"
REDIS_PORT="${WRITER_E2E_REDIS_PORT:-6379}"

apt_install() {
	export DEBIAN_FRONTEND=noninteractive
	# Another apt run (another job on the machine) may hold the lock: wait for it rather than fail.
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@"
}

# --- PostgreSQL ---------------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null; then
	apt_install postgresql
fi
for version in $(ls /etc/postgresql); do
	if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
		pg_ctlcluster "$version" main start
	fi
done
for _ in $(seq 1 30); do
	pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
	sleep 1
done
pg_isready -h 127.0.0.1 -p "$PG_PORT"

# The role may create (and so drop) its own throwaway databases, and nothing more.
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "$PG_PORT" \
	-v user="$PG_USER" -v password="$PG_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'user', :'password') \gexec
SQL
echo "PostgreSQL: role $PG_USER on 127.0.0.1:$PG_PORT"

# --- Redis ----------------------------------------------------------------------
if ! command -v redis-server >/dev/null; then
	apt_install redis-server
fi
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
	redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
		--logfile /var/log/redis-writer-e2e.log
	for _ in $(seq 1 30); do
		redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
		sleep 0.5
	done
fi
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null
echo "Redis: 127.0.0.1:$REDIS_PORT"
