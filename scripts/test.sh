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

# shellcheck source=scripts/pg.sh
source scripts/pg.sh

start_postgres() {
	# fsync off: the cluster is thrown away, and the tests run faster.
	PG_FSYNC=off pg_start || die "PostgreSQL could not be started.
  Install it (e.g. apt-get install postgresql), or set TRUCE_TEST_POSTGRES to a server DSN,
  or set TRUCE_SKIP_POSTGRES=1 to run without the PostgreSQL tests."
	trap pg_stop EXIT
	trap 'exit 130' INT TERM
	export TRUCE_TEST_POSTGRES=$PG_DSN
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
say "go test ${race[*]} -count=1 -timeout 40m ./..."
CGO_ENABLED=$([[ ${#race[@]} -gt 0 ]] && echo 1 || echo 0) go test "${race[@]}" -count=1 -timeout 40m ./...
