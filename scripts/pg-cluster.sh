#!/usr/bin/env bash
# A throwaway PostgreSQL primary with a streaming replica, for tests that
# run outside the shell (internal/teamtest): scripts/pg.sh's functions as
# commands.
#
#   scripts/pg-cluster.sh start     # prints PRIMARY=DSN, REPLICA=DSN, DIR=...
#   scripts/pg-cluster.sh stop DIR  # stops both and removes DIR
set -euo pipefail
source "$(dirname "$0")/pg.sh"

case ${1:-} in
start)
	PG_FSYNC=${PG_FSYNC:-off} pg_start
	if ! pg_replica; then
		pg_stop
		exit 1
	fi
	printf 'PRIMARY=%s\nREPLICA=%s\nDIR=%s\n' "$PG_DSN" "$PG_REPLICA_DSN" "$PGTMP"
	;;
stop)
	[[ -d ${2:-} && $2 == /tmp/truce-pg.* ]] || { echo "pg-cluster.sh: stop needs the DIR start printed" >&2; exit 2; }
	PGTMP=$2
	PG_BINDIR=$(pg_bindir)
	PG_AS=()
	[[ $(id -u) -ne 0 ]] || PG_AS=(runuser -u postgres --)
	pg_stop
	;;
*)
	echo "usage: scripts/pg-cluster.sh start | stop DIR" >&2
	exit 2
	;;
esac
