# shellcheck shell=bash
# Throwaway PostgreSQL cluster for the tests and the benchmarks, meant to be
# sourced by scripts/test.sh and bench/run.sh: the newest local PostgreSQL
# server binaries, installed with apt-get when missing and running as root; a
# fresh cluster in /tmp with trust auth on 127.0.0.1 and a free port from
# 54329 on; run as the postgres user when the caller is root (PostgreSQL
# refuses root).
#
#   source scripts/pg.sh
#   trap pg_stop EXIT
#   pg_start              # sets PG_DSN (the postgres database), PG_VERSION
#   pg_createdb NAME      # prints a DSN for a new empty database NAME
#   pg_replica            # a streaming replica of it (pg_basebackup -R) on
#                         # the next free port: sets PG_REPLICA_DSN
#
# PG_FSYNC (default on) sets fsync: on gives figures a real server would
# see; scripts/test.sh runs with off because its cluster is thrown away.

pg_say() { printf '==> %s\n' "$*" >&2; }
pg_die() { printf 'pg.sh: %s\n' "$*" >&2; return 1; }

# pg_bindir prints the newest PostgreSQL server bin directory, if any.
pg_bindir() {
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [[ -n $dir && -x $dir/initdb ]]; then
		echo "$dir"
	elif command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
		dirname "$(command -v initdb)"
	fi
}

# pg_free_port prints the first port from 54329 on where nothing listens.
pg_free_port() {
	local port
	for port in $(seq 54329 54429); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	pg_die "no free port in 54329-54429 for PostgreSQL"
}

pg_start() {
	local bindir
	bindir=$(pg_bindir)
	if [[ -z $bindir && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
		local log=${TMPDIR:-/tmp}/truce-apt-postgresql.log
		pg_say "installing postgresql with apt-get (log: $log)"
		if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } >"$log" 2>&1; then
			tail -n 20 "$log" >&2
			pg_die "apt-get install postgresql failed" || return
		fi
		bindir=$(pg_bindir)
	fi
	if [[ -z $bindir ]]; then
		pg_die "PostgreSQL is not installed and cannot be installed here (not root, or no apt-get)" || return
	fi

	PG_AS=()
	if [[ $(id -u) -eq 0 ]]; then
		id postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home postgres
		PG_AS=(runuser -u postgres --)
	fi
	# In /tmp: the postgres user must reach it, and the socket path must
	# stay short.
	PGTMP=$(mktemp -d /tmp/truce-pg.XXXXXX)
	chmod 755 "$PGTMP"
	[[ ${#PG_AS[@]} -eq 0 ]] || chown postgres: "$PGTMP"

	local port
	port=$(pg_free_port) || return
	PG_VERSION=$("$bindir/postgres" --version | awk '{print $3}')
	pg_say "starting PostgreSQL $PG_VERSION on 127.0.0.1:$port (fsync=${PG_FSYNC:-on})"
	# From PGTMP: the postgres user may not be allowed into the work tree.
	if ! (cd "$PGTMP" && "${PG_AS[@]}" "$bindir/initdb" -D "$PGTMP/data" -A trust -U postgres >"$PGTMP/initdb.log" 2>&1); then
		cat "$PGTMP/initdb.log" >&2
		pg_die "initdb failed" || return
	fi
	if ! (cd "$PGTMP" && "${PG_AS[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
		-o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-on}" start >/dev/null); then
		cat "$PGTMP/server.log" >&2
		pg_die "PostgreSQL did not start" || return
	fi
	PG_BINDIR=$bindir
	PG_PORT=$port
	PG_DSN="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

# pg_createdb NAME creates an empty database and prints its DSN.
pg_createdb() {
	(cd "$PGTMP" && "${PG_AS[@]}" "$PG_BINDIR/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
		-c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"") >&2 || return
	echo "postgres://postgres@127.0.0.1:$PG_PORT/$1?sslmode=disable"
}

# pg_dbsize NAME prints the size of database NAME in MB.
pg_dbsize() {
	(cd "$PGTMP" && "${PG_AS[@]}" "$PG_BINDIR/psql" -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
		-c "SELECT round(pg_database_size('$1')/1e6)")
}

# pg_replica copies the running cluster with pg_basebackup -R (which writes
# the standby's connection settings) and starts the copy as a hot standby
# streaming from it, on loopback.
pg_replica() {
	local port
	port=$(pg_free_port) || return
	if ! (cd "$PGTMP" && "${PG_AS[@]}" "$PG_BINDIR/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres \
		-D "$PGTMP/replica" -R -X stream >"$PGTMP/basebackup.log" 2>&1); then
		cat "$PGTMP/basebackup.log" >&2
		pg_die "pg_basebackup failed" || return
	fi
	pg_say "starting a streaming replica on 127.0.0.1:$port"
	if ! (cd "$PGTMP" && "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PGTMP/replica" -l "$PGTMP/replica.log" -w \
		-o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-on} -c hot_standby=on" start >/dev/null); then
		cat "$PGTMP/replica.log" >&2
		pg_die "the replica did not start" || return
	fi
	PG_REPLICA_PORT=$port
	PG_REPLICA_DSN="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

pg_stop() {
	if [[ -n ${PG_BINDIR:-} && -d ${PGTMP:-}/replica ]]; then
		(cd "$PGTMP" && "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PGTMP/replica" -m immediate -w stop >/dev/null 2>&1) || true
	fi
	if [[ -n ${PG_BINDIR:-} ]]; then
		(cd "$PGTMP" && "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1) || true
		PG_BINDIR=
	fi
	[[ -z ${PGTMP:-} ]] || rm -rf "$PGTMP"
	PGTMP=
}
