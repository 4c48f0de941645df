#!/usr/bin/env bash
# Makes sure what the queue-mode end-to-end test needs answers at the addresses the test reads
# (the same variables and defaults as test/e2e/queueServices.ts): PostgreSQL with a login role that
# may create databases, and Redis. Whatever already answers is left as it is (CI's service
# containers, your own servers); only what is missing on this machine's loopback is installed
# (apt) and started. Runs as root or as a user with sudo, the way GitHub's runner does; safe to
# run again.
set -euo pipefail

PG_HOST="${WRITER_E2E_PG_HOST:-${PGHOST:-127.0.0.1}}"
PG_PORT="${WRITER_E2E_PG_PORT:-${PGPORT:-5432}}"
PG_USER="${WRITER_E2E_PG_USER:-${PGUSER:-writer_e2e}}"
PG_PASSWORD="${WRITER_E2E_PG_PASSWORD:-${PGPASSWORD:-writer_e2e}}"
REDIS_HOST="${WRITER_E2E_REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${WRITER_E2E_REDIS_PORT:-6379}"

# Root runs the admin commands itself; anyone else through sudo (non-interactive: fail, never prompt).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}
as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

answers() { # host port: something accepts a TCP connection there
	timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}
wait_for() { # what host port
	for _ in $(seq 1 60); do
		answers "$2" "$3" && return 0
		sleep 0.5
	done
	echo "$1 does not answer at $2:$3" >&2
	return 1
}
is_loopback() {
	case "$1" in 127.* | localhost | ::1) return 0 ;; *) return 1 ;; esac
}
cannot_start() { # what host port variable-prefix
	echo "$1 does not answer at $2:$3, and this script starts services only on this machine's loopback." >&2
	echo "Start it there, or point $4* at one that runs (README, \"Queue mode\")." >&2
	exit 1
}

apt_install() {
	# Another apt run (another job on the machine) may hold the lock: wait for it rather than fail.
	as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@"
}

# --- PostgreSQL ---------------------------------------------------------------
can_log_in() {
	command -v psql >/dev/null &&
		PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc 'SELECT 1' >/dev/null 2>&1
}
# The role may create (and so drop) its own throwaway databases, and nothing more. Over the local
# socket as the postgres superuser, which Debian's clusters allow by peer authentication.
create_role() {
	(cd / && as_postgres psql -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -v user="$PG_USER" -v password="$PG_PASSWORD") <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'user', :'password') \gexec
SQL
}
if answers "$PG_HOST" "$PG_PORT"; then
	echo "PostgreSQL: something answers at $PG_HOST:$PG_PORT; left as it is"
	# This machine's own Debian cluster without the role yet (a cluster started before): add it.
	if is_loopback "$PG_HOST" && [ -d /etc/postgresql ] && command -v psql >/dev/null && ! can_log_in; then
		create_role
		echo "PostgreSQL: role $PG_USER created"
	fi
else
	is_loopback "$PG_HOST" || cannot_start PostgreSQL "$PG_HOST" "$PG_PORT" WRITER_E2E_PG_
	if ! command -v pg_ctlcluster >/dev/null; then
		apt_install postgresql
	fi
	# Debian's clusters (apt's postinst may have started one already).
	for version in $(ls /etc/postgresql); do
		if ! as_root pg_ctlcluster "$version" main status >/dev/null 2>&1; then
			as_root pg_ctlcluster "$version" main start
		fi
	done
	wait_for PostgreSQL "$PG_HOST" "$PG_PORT"
	create_role
	echo "PostgreSQL: started on $PG_HOST:$PG_PORT, role $PG_USER"
fi

# --- Redis ----------------------------------------------------------------------
if answers "$REDIS_HOST" "$REDIS_PORT"; then
	echo "Redis: something answers at $REDIS_HOST:$REDIS_PORT; left as it is"
else
	is_loopback "$REDIS_HOST" || cannot_start Redis "$REDIS_HOST" "$REDIS_PORT" WRITER_E2E_REDIS_
	if ! command -v redis-server >/dev/null; then
		apt_install redis-server
	fi
	# apt may have started Redis as a service; otherwise it runs as this user, in memory only.
	if ! answers "$REDIS_HOST" "$REDIS_PORT"; then
		log="${TMPDIR:-/tmp}/redis-writer-e2e-$(id -u).log"
		[ "$(id -u)" -eq 0 ] && log=/var/log/redis-writer-e2e.log
		redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
			--dir "${TMPDIR:-/tmp}" --logfile "$log"
	fi
	wait_for Redis "$REDIS_HOST" "$REDIS_PORT"
	echo "Redis: started on $REDIS_HOST:$REDIS_PORT"
fi
