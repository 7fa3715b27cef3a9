#!/usr/bin/env bash
# Runs every check and test truce has: gofmt, go vet, go test, with the store
# conformance suite on both SQLite and PostgreSQL.
#
# PostgreSQL: set TRUCE_TEST_POSTGRES to a DSN of a server where the tests may
# CREATE DATABASE. Otherwise this script starts a throwaway cluster from the
# local PostgreSQL binaries, installing them with apt-get if it runs as root
# and they are missing. TRUCE_SKIP_POSTGRES=1 runs without PostgreSQL (its
# tests skip). TRUCE_RACE=0 turns off the race detector.
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

say() { printf '==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "go is not installed (looked in PATH and /usr/local/go/bin)"

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

# free_port prints the first port from 54329 on where nothing listens.
free_port() {
	local port
	for port in $(seq 54329 54429); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port in 54329-54429 for PostgreSQL"
}

start_postgres() {
	local bindir
	bindir=$(pg_bindir)
	if [[ -z $bindir && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
		local log=${TMPDIR:-/tmp}/truce-apt-postgresql.log
		say "installing postgresql with apt-get (log: $log)"
		if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } >"$log" 2>&1; then
			tail -n 20 "$log" >&2
			die "apt-get install postgresql failed"
		fi
		bindir=$(pg_bindir)
	fi
	if [[ -z $bindir ]]; then
		die "PostgreSQL is not installed and this script cannot install it (not root, or no apt-get).
  Install it (e.g. apt-get install postgresql), or set TRUCE_TEST_POSTGRES to a server DSN,
  or set TRUCE_SKIP_POSTGRES=1 to run without the PostgreSQL tests."
	fi

	# PostgreSQL refuses to run as root: run it as the postgres user then.
	local as=()
	if [[ $(id -u) -eq 0 ]]; then
		id postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home postgres
		as=(runuser -u postgres --)
	fi

	# In /tmp, not TMPDIR: the postgres user must reach it, and the socket
	# path must stay short.
	PGTMP=$(mktemp -d /tmp/truce-pg.XXXXXX)
	chmod 755 "$PGTMP"
	[[ ${#as[@]} -eq 0 ]] || chown postgres: "$PGTMP"
	trap stop_postgres EXIT
	trap 'exit 130' INT TERM

	local port
	port=$(free_port)
	say "starting PostgreSQL ($("$bindir/postgres" --version | awk '{print $3}')) on 127.0.0.1:$port"
	# From PGTMP: the postgres user may not be allowed into the work tree.
	cd "$PGTMP"
	if ! "${as[@]}" "$bindir/initdb" -D "$PGTMP/data" -A trust -U postgres >"$PGTMP/initdb.log" 2>&1; then
		cat "$PGTMP/initdb.log" >&2
		die "initdb failed"
	fi
	# fsync off: the cluster is thrown away, and the tests run faster.
	if ! "${as[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
		-o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
		cat "$PGTMP/server.log" >&2
		die "PostgreSQL did not start"
	fi
	cd - >/dev/null
	PG_AS=("${as[@]}")
	PG_BINDIR=$bindir
	export TRUCE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

stop_postgres() {
	if [[ -n ${PG_BINDIR:-} ]]; then
		"${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$PGTMP"
}

if [[ ${TRUCE_SKIP_POSTGRES:-} == 1 ]]; then
	say "TRUCE_SKIP_POSTGRES=1: PostgreSQL tests will skip"
	unset TRUCE_TEST_POSTGRES TRUCE_REQUIRE_POSTGRES
elif [[ -n ${TRUCE_TEST_POSTGRES:-} ]]; then
	say "PostgreSQL from TRUCE_TEST_POSTGRES"
	export TRUCE_REQUIRE_POSTGRES=1
else
	start_postgres
	export TRUCE_REQUIRE_POSTGRES=1
fi

say "gofmt"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Tracked files and new ones not ignored: a file not yet added still counts.
	mapfile -t gofiles < <(git ls-files --cached --others --exclude-standard -- '*.go')
else
	mapfile -t gofiles < <(find . -name '*.go' -not -path './vendor/*')
fi
if [[ ${#gofiles[@]} -gt 0 ]]; then
	unformatted=$(gofmt -l "${gofiles[@]}")
	[[ -z $unformatted ]] || die "gofmt wants to change (run gofmt -w):
$unformatted"
fi

say "go vet ./..."
go vet ./...

# The race detector needs cgo; the binary itself stays CGO_ENABLED=0.
race=()
if [[ ${TRUCE_RACE:-1} != 0 ]] && command -v "$(go env CC)" >/dev/null; then
	race=(-race)
fi
say "go test ${race[*]} -count=1 ./..."
CGO_ENABLED=$([[ ${#race[@]} -gt 0 ]] && echo 1 || echo 0) go test "${race[@]}" -count=1 ./...
