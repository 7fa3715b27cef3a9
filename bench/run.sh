#!/usr/bin/env bash
# The ingest benchmark (issue 3, "Speed and memory"): in one run, side by side,
#   (a) truce ingest of an N-row ACLED file into a fresh SQLite file, then the
#       same file again into the same database (idempotent re-import),
#   (b) truce ingest of the same file into a fresh PostgreSQL database, then
#       PostgreSQL alone: the rows truce stored copied back into an empty
#       table from a file by psql (the server's floor under the import; on
#       the throwaway cluster only, not with BENCH_POSTGRES),
#   (c) DuckDB loading the same file (CREATE TABLE AS SELECT * FROM read_csv),
#       in memory and into a database file, through DuckDB's Go bindings,
# each timed with /usr/bin/time (wall seconds, peak RSS), and a table with the
# targets. The N-row file is generated from the shared ACLED sample (real rows
# replayed with fresh ids) into bench/data/, which is never committed.
#
#   bash bench/run.sh                 # N=1000000
#   N=100000 bash bench/run.sh        # a quick run (targets are ratios to DuckDB's load)
#
# Environment:
#   N                  rows (default 1000000)
#   SAMPLE             ACLED CSV replayed (default ../shared/data/acled-sample-acledR/acled_sample_9000_2022H1.csv)
#   THREADS            DuckDB threads (default: nproc, 2 on the benchmark machine)
#   STEPS              which steps, comma-separated (default all):
#                      sqlite (with the re-import), postgres, duckdb (both
#                      loads), query (the DuckDB detection query, the later
#                      baseline for `truce check`, issue 4), evaluate (truce
#                      evaluate over the events the sqlite step stored in
#                      bench/out/bench.db, in full, then incrementally),
#                      check (truce check over the file, then the DuckDB
#                      detection query right after it, and their ratio;
#                      STEPS=check runs just these two), serve (issue 13:
#                      truce serve on bench/out/bench.db, then on the
#                      postgres step's database when that step ran in the
#                      same run, each with its findings evaluated; the
#                      findings list with two filters asked at RATE
#                      requests/s for DURATION s by bench/cmd/truce-load
#                      from a second process on loopback, then the same
#                      query in process, the floor)
#   AGREEMENT          the agreement of the check step (default
#                      bench/agreements/bench-2022.yaml: the moratorium's
#                      commitment over 2022, where the replayed rows are)
#   CHECK_RUNS         runs of the check step's pair, alternating (default 3);
#                      each side's fastest time and highest peak RSS count
#   SKIP_POSTGRES=1    leave out (b);  BENCH_POSTGRES=DSN uses that server's
#                      database instead of a throwaway cluster (it must be empty)
#   PG_FSYNC           fsync of the throwaway cluster (default on)
#   SKIP_QUERY=1       leave out the DuckDB detection query (the later baseline
#                      for `truce check`, issue 4)
#   RATE, DURATION     the serve step's requests a second (default 500) and
#                      seconds (default 60): RATE x DURATION requests
#   SERVE_QUERY        the serve step's findings filters (default
#                      agreement=bench-2022&verdict=candidate: 100 findings
#                      a page, the API's default page)
#   PROFILE=1          run truce under the Go CPU profiler (bench/cmd/truce-prof,
#                      the same code as cmd/truce), write bench/out/KEY.prof and
#                      print where the time goes
# Results: printed and written to bench/out/results-DATE.txt; logs of each
# timed command in bench/out/*.log.
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
ROOT=$PWD
OUT=$ROOT/bench/out
mkdir -p "$OUT" "$ROOT/bench/data"

N=${N:-1000000}
[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "run.sh: N must be a positive integer" >&2; exit 2; }
SAMPLE=${SAMPLE:-../shared/data/acled-sample-acledR/acled_sample_9000_2022H1.csv}
THREADS=${THREADS:-$(nproc)}
if [[ $N -eq 1000000 ]]; then
	DATA=bench/data/acled-1m.csv
else
	DATA=bench/data/acled-$N.csv
fi
STAMP=$(date +%Y-%m-%d-%H%M%S)
RESULTS=$OUT/results-$STAMP.txt
exec > >(tee "$RESULTS") 2>&1

say() { printf '==> %s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

source "$ROOT/scripts/pg.sh"
SERVE_PID=
cleanup() {
	serve_stop
	pg_stop
	rm -f "$OUT/duckdb-bench.duckdb" "$OUT/duckdb-bench.duckdb.wal"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -----------------------------------------------------------------
command -v go >/dev/null || die "go is not installed"
apt_install() {
	[[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null || die "$1 is missing; install package $2"
	say "installing $2 with apt-get"
	{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2"; } \
		>"$OUT/apt-$2.log" 2>&1 || { tail -n 20 "$OUT/apt-$2.log"; die "apt-get install $2 failed"; }
}
[[ -x /usr/bin/time ]] || apt_install /usr/bin/time time
command -v "$(go env CC)" >/dev/null || apt_install "$(go env CC)" gcc # DuckDB's bindings need cgo

# --- what runs where -------------------------------------------------------
say "benchmark $STAMP: N=$N rows"
echo "machine:  $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
echo "go:       $(go env GOVERSION)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; other work on the machine skews the figures)"
echo "truce:    $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- 2>/dev/null || echo ' + uncommitted changes')"

# --- data ------------------------------------------------------------------
if [[ -s $DATA ]]; then
	say "using $DATA (generated earlier from the shared ACLED sample; never committed)"
else
	say "generating $DATA: $N rows replayed from $SAMPLE with fresh event_id_cnty (generated data, git-ignored, never committed)"
	go run ./bench/cmd/gen-acled -sample "$SAMPLE" -n "$N" -o "$DATA"
fi
echo "data:     $DATA, $(( $(stat -c %s "$DATA") / 1000000 )) MB"
# Read it once so that every tool starts with the file in the page cache.
cat "$DATA" >/dev/null

# --- builds ----------------------------------------------------------------
say "building truce (CGO_ENABLED=0) -> bench/out/truce"
TRUCE_OK=1
if ! CGO_ENABLED=0 go build -o "$OUT/truce" ./cmd/truce 2>"$OUT/build-truce.log"; then
	TRUCE_OK=0
	cat "$OUT/build-truce.log"
	echo "!! truce does not build: its rows are left out"
fi
if [[ ${PROFILE:-} == 1 && $TRUCE_OK == 1 ]]; then
	say "PROFILE=1: building bench/out/truce-prof (truce under the CPU profiler)"
	CGO_ENABLED=0 go build -o "$OUT/truce-prof" ./bench/cmd/truce-prof
	rm -f "$OUT"/*.prof
fi
# truce_cmd KEY sets TC to the command that runs truce for step KEY.
truce_cmd() {
	if [[ ${PROFILE:-} == 1 ]]; then
		TC=("$OUT/truce-prof" -cpuprofile "$OUT/$1.prof" --)
	else
		TC=("$OUT/truce")
	fi
}
say "building the load generator (bench/cmd/truce-load) -> bench/out/truce-load"
CGO_ENABLED=0 go build -o "$OUT/truce-load" ./bench/cmd/truce-load || die "bench/cmd/truce-load does not build"

# --- timing ----------------------------------------------------------------
declare -A SECS RSS RC LOG
ORDER=()
# measure KEY CMD...: runs CMD with its output in bench/out/KEY.log and
# records its wall seconds, peak RSS (MB) and exit status.
measure() {
	local key=$1
	shift
	ORDER+=("$key")
	LOG[$key]=$OUT/$key.log
	say "$key: $*"
	local rc=0
	/usr/bin/time -f '%e %M' -o "$OUT/$key.time" "$@" >"${LOG[$key]}" 2>&1 || rc=$?
	RC[$key]=$rc
	read -r SECS[$key] RSS[$key] < <(tail -n 1 "$OUT/$key.time")
	RSS[$key]=$(( ${RSS[$key]} / 1024 ))
	echo "    ${SECS[$key]} s, ${RSS[$key]} MB peak RSS, exit $rc"
	if [[ $rc -ne 0 ]]; then
		echo "    --- last lines of ${LOG[$key]#"$ROOT"/}:"
		tail -n 15 "${LOG[$key]}" | sed 's/^/    /'
	fi
}
# jsonnum KEY FIELD: a number from truce ingest --output json in KEY's log.
jsonnum() { grep -o "\"$2\": *[0-9]*" "${LOG[$1]}" | head -n 1 | grep -o '[0-9]*$' || echo '?'; }

INGEST=(ingest --format acled --progress never --output json "$DATA")
STEPS=${STEPS:-sqlite,evaluate,postgres,serve,duckdb,query,check}
AGREEMENT=${AGREEMENT:-bench/agreements/bench-2022.yaml}
[[ ${SKIP_POSTGRES:-} != 1 ]] || STEPS=${STEPS//postgres/}
[[ ${SKIP_QUERY:-} != 1 ]] || STEPS=${STEPS//query/}
want() { [[ ,$STEPS, == *,$1,* ]]; }
# DuckDB (cgo, slow to build) only for the steps that run it.
if want duckdb || want query || want check; then
	say "building the DuckDB baseline (bench/duckdb, cgo) -> bench/out/duckdb-bench"
	(cd bench/duckdb && CGO_ENABLED=1 go build -o "$OUT/duckdb-bench" .) || die "bench/duckdb does not build"
fi
if [[ $TRUCE_OK == 1 ]] && want sqlite; then
	rm -f "$OUT/bench.db" "$OUT/bench.db-wal" "$OUT/bench.db-shm" "$OUT/bench.db-journal"
	truce_cmd sqlite
	measure sqlite "${TC[@]}" --db "$OUT/bench.db" "${INGEST[@]}"
	truce_cmd sqlite-again
	measure sqlite-again "${TC[@]}" --db "$OUT/bench.db" "${INGEST[@]}"
	echo "    SQLite file: $(du -cm "$OUT"/bench.db* | tail -n 1 | cut -f1) MB"
fi
# truce evaluate over the stored events (issue 4): the bundled moratorium
# (2025, so it matches none of the 2022 rows, but every row is still read
# and checked) and bench/agreements/bench-2022.yaml, its terms over a 2022
# window, which gives findings to write. --full, so that a rerun on the same
# database measures the whole evaluation again; then a second, incremental
# run, which must read nothing.
if [[ $TRUCE_OK == 1 ]] && want evaluate; then
	if [[ ! -s $OUT/bench.db ]]; then
		echo "!! evaluate: no bench/out/bench.db (run the sqlite step first): left out"
	else
		"$OUT/truce" --db "$OUT/bench.db" agreement import examples/agreements/energy-moratorium-2025.yaml \
			bench/agreements/bench-2022.yaml >"$OUT/evaluate-import.log" 2>&1 ||
			{ cat "$OUT/evaluate-import.log"; die "evaluate: cannot import the agreements into bench/out/bench.db (made by an older truce? rerun the sqlite step)"; }
		truce_cmd evaluate
		measure evaluate "${TC[@]}" --db "$OUT/bench.db" evaluate --full
		truce_cmd evaluate-again
		measure evaluate-again "${TC[@]}" --db "$OUT/bench.db" evaluate
	fi
fi
# pg_floor DB: PostgreSQL alone, the floor under truce's import (issue 17).
# The events truce stored, exported in COPY's binary format to a file
# (untimed), are copied back by psql into an empty table of the same shape
# in one transaction, under the plan truce's first import follows: the
# primary key and its sequence kept, the key's unique constraint and the
# other indexes built after the rows, with the same maintenance_work_mem.
# The server gets each row ready-made, with no client work, so this is what
# the server itself needs for the rows truce stores.
pg_floor() {
	local file=$PGTMP/floor-events.bin cols psqlc
	psqlc=(env -C "$PGTMP" "${PG_AS[@]}" "$PG_BINDIR/psql" -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1")
	cols=$("${psqlc[@]}" -q -At -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
		WHERE attrelid = 'events'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'id'") ||
		{ echo "!! pg-floor: cannot read the columns of events: left out"; return; }
	"${psqlc[@]}" -c "\\copy (SELECT $cols FROM events) TO '$file' (FORMAT binary)" \
		-c "CREATE TABLE floor_events (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)
			WITH (toast_tuple_target = 8160)" \
		-c "ALTER TABLE floor_events ADD PRIMARY KEY (id)" -c CHECKPOINT >"$OUT/pg-floor-setup.log" 2>&1 ||
		{ cat "$OUT/pg-floor-setup.log"; echo "!! pg-floor: cannot export the events: left out"; return; }
	cat >"$PGTMP/floor.sql" <<SQL
BEGIN;
\copy floor_events ($cols) FROM '$file' (FORMAT binary)
SET LOCAL maintenance_work_mem = '256MB';
ALTER TABLE floor_events ADD UNIQUE (source, source_id);
CREATE INDEX ON floor_events (time_start, id);
CREATE INDEX ON floor_events (batch_id);
COMMIT;
SQL
	chmod a+r "$PGTMP/floor.sql"
	measure pg-floor "${psqlc[@]}" -f "$PGTMP/floor.sql"
	rm -f "$file"
	# The serve step may run on this database next: not beside a copy.
	"${psqlc[@]}" -q -c "DROP TABLE floor_events" >/dev/null 2>&1 || true
}
if [[ $TRUCE_OK == 1 ]] && want postgres; then
	if [[ -n ${BENCH_POSTGRES:-} ]]; then
		PGURL=$BENCH_POSTGRES
		say "PostgreSQL from BENCH_POSTGRES (must be an empty database)"
	else
		pg_start
		PGURL=$(pg_createdb truce_bench)
	fi
	truce_cmd postgres
	measure postgres "${TC[@]}" --db "$PGURL" "${INGEST[@]}"
	if [[ -z ${BENCH_POSTGRES:-} ]]; then
		echo "    PostgreSQL database: $(pg_dbsize truce_bench) MB"
		[[ ${RC[postgres]} != 0 ]] || pg_floor truce_bench
	fi
	want serve || pg_stop # the serve step runs on this database
fi

# truce serve (issue 13, "Speed"): on each store, its findings evaluated,
# truce serve on a loopback port and bench/cmd/truce-load in this process's
# place asking for the findings list with two filters, open loop, RATE
# requests/s for DURATION s; then, the server stopped, truce-load in
# process (-db) with the same query and rate: app.FindingsPage and the JSON
# encoding without HTTP, the floor. Figures in bench/out/serve-*.json.
RATE=${RATE:-500}
DURATION=${DURATION:-60}
SERVE_QUERY=${SERVE_QUERY:-agreement=bench-2022&verdict=candidate}
[[ $RATE =~ ^[0-9]+$ && $RATE -gt 0 && $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] ||
	die "RATE and DURATION must be positive integers"
DASH_RATE=${DASH_RATE:-5}
DASH_DURATION=${DASH_DURATION:-20}
SERVE_ROWS=()
DASH_ROWS=()
# dash_row BACKEND PATH KEY: a row of the dashboard table from KEY's JSON.
dash_row() {
	local json=$OUT/$3.json
	if [[ ! -s $json ]]; then
		DASH_ROWS+=("$(printf '%-9s %-20s %s' "$1" "$2" "FAILED: see bench/out/$3.log")")
		return
	fi
	local p95 errors verdict=FAIL
	p95=$(jf "$json" p95_ms) errors=$(jf "$json" errors)
	! awk -v p="$p95" -v e="$errors" 'BEGIN { exit !(p < 200 && e == 0) }' || verdict=PASS
	DASH_ROWS+=("$(printf '%-9s %-20s %9s %7s %8.1f %8.1f %8.1f %9s  %s' "$1" "$2" "$(jf "$json" scheduled)" "$errors" \
		"$(jf "$json" p50_ms)" "$p95" "$(jf "$json" max_ms)" "$(jf "$json" page_bytes)" "$verdict")")
}
# serve_stop stops the server started last (SIGTERM: a graceful shutdown).
serve_stop() {
	[[ -n ${SERVE_PID:-} ]] || return 0
	kill -TERM "$SERVE_PID" 2>/dev/null || true
	local rc=0
	wait "$SERVE_PID" || rc=$?
	SERVE_PID=
	return $rc
}
# serve_free_port prints the first port from 18080 on where nothing listens.
serve_free_port() {
	local port
	for port in $(seq 18080 18180); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "serve: no free port in 18080-18180"
}
# serve_row BACKEND MODE KEY: a row of the serve table from KEY's JSON.
serve_row() {
	local json=$OUT/$3.json
	if [[ ! -s $json ]]; then
		SERVE_ROWS+=("$(printf '%-9s %-14s %s' "$1" "$2" "FAILED: see bench/out/$3.log")")
		return
	fi
	local p99 errors verdict=FAIL
	p99=$(jf "$json" p99_ms) errors=$(jf "$json" errors)
	! awk -v p="$p99" -v e="$errors" 'BEGIN { exit !(p < 50 && e == 0) }' || verdict=PASS
	SERVE_ROWS+=("$(printf '%-9s %-14s %9s %7s %9.1f %8.1f %8.1f %8.1f %9.1f  %s' "$1" "$2" "$(jf "$json" scheduled)" "$errors" \
		"$(jf "$json" achieved_rps)" "$(jf "$json" p50_ms)" "$(jf "$json" p90_ms)" "$p99" "$(jf "$json" max_ms)" "$verdict")")
}
# jf FILE FIELD: a number from truce-load's JSON.
jf() { grep -o "\"$2\": *[0-9.e+-]*" "$1" | head -n 1 | sed 's/.*: *//'; }
# serve_bench BACKEND DSN: the server and the floor on one store.
serve_bench() {
	local be=$1 dsn=$2 port rc
	say "serve ($be): the agreements and their findings (truce evaluate: incremental, nothing to do if already evaluated)"
	if ! "$OUT/truce" --db "$dsn" agreement import examples/agreements/energy-moratorium-2025.yaml \
		bench/agreements/bench-2022.yaml >"$OUT/serve-$be-import.log" 2>&1; then
		cat "$OUT/serve-$be-import.log"
		echo "!! serve ($be): cannot import the agreements: left out"
		return
	fi
	measure "serve-$be-evaluate" "$OUT/truce" --db "$dsn" evaluate
	[[ ${RC[serve-$be-evaluate]} == 0 ]] || { echo "!! serve ($be): evaluate failed: left out"; return; }
	sed 's/^/    /' "${LOG[serve-$be-evaluate]}"

	port=$(serve_free_port)
	say "serve ($be): truce serve --addr 127.0.0.1:$port (request log: bench/out/serve-$be.log)"
	"$OUT/truce" --db "$dsn" serve --addr "127.0.0.1:$port" 2>"$OUT/serve-$be.log" &
	SERVE_PID=$!
	local i
	for ((i = 0; i < 300; i++)); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	if ! curl -fsS "http://127.0.0.1:$port/readyz" >"$OUT/serve-$be-readyz.json" 2>&1; then
		tail -n 5 "$OUT/serve-$be.log"
		serve_stop || true
		echo "!! serve ($be): the server did not become ready: left out"
		return
	fi
	local load=(-rate "$RATE" -duration "${DURATION}s" -query "$SERVE_QUERY")
	# The same query again and again (the server keeps the page while the
	# database is unchanged), then every request a query of its own with
	# the same answer (-vary: never a kept page).
	local mode flags
	for mode in http http-new; do
		flags=()
		[[ $mode == http ]] || flags=(-vary)
		say "serve ($be): truce-load over HTTP${flags:+ -vary}, $RATE requests/s for $DURATION s: GET /api/v1/findings?$SERVE_QUERY"
		echo "    load: $(cut -d' ' -f1-3 /proc/loadavg)"
		rc=0
		"$OUT/truce-load" -label "$be $mode" -url "http://127.0.0.1:$port/api/v1/findings" "${load[@]}" "${flags[@]}" \
			-json "$OUT/serve-$be-$mode.json" >"$OUT/serve-$be-$mode.log" 2>&1 || rc=$?
		[[ $rc -ne 2 ]] || rm -f "$OUT/serve-$be-$mode.json"
		sed 's/^/    /' "$OUT/serve-$be-$mode.log"
		serve_row "$be" "$mode" "serve-$be-$mode"
	done
	# The dashboard (issue 14): each page's server time, a few requests a
	# second, one after another (DASH_RATE x DASH_DURATION of each).
	local path key
	for path in / /map/findings.json /review; do
		key=serve-$be-dash-$(echo "$path" | tr -c 'a-z\n' '-' | sed 's/^-*//; s/-*$//')
		[[ $key != "serve-$be-dash-" ]] || key=serve-$be-dash-overview
		say "serve ($be): dashboard GET $path, $DASH_RATE requests/s for $DASH_DURATION s"
		rc=0
		"$OUT/truce-load" -label "$be $path" -page -url "http://127.0.0.1:$port$path" -rate "$DASH_RATE" -duration "${DASH_DURATION}s" \
			-json "$OUT/$key.json" >"$OUT/$key.log" 2>&1 || rc=$?
		[[ $rc -ne 2 ]] || rm -f "$OUT/$key.json"
		sed 's/^/    /' "$OUT/$key.log"
		dash_row "$be" "$path" "$key"
	done
	rc=0
	serve_stop || rc=$?
	echo "    server stopped (SIGTERM), exit $rc"

	for mode in in-process in-process-new; do
		flags=()
		[[ $mode == in-process ]] || flags=(-vary)
		say "serve ($be): the floor, truce-load in process${flags:+ -vary} (app.FindingsPage on the store), the same query and rate"
		echo "    load: $(cut -d' ' -f1-3 /proc/loadavg)"
		rc=0
		"$OUT/truce-load" -label "$be $mode" -db "$dsn" "${load[@]}" "${flags[@]}" \
			-json "$OUT/serve-$be-$mode.json" >"$OUT/serve-$be-$mode.log" 2>&1 || rc=$?
		[[ $rc -ne 2 ]] || rm -f "$OUT/serve-$be-$mode.json"
		sed 's/^/    /' "$OUT/serve-$be-$mode.log"
		serve_row "$be" "$mode" "serve-$be-$mode"
	done
}
if [[ $TRUCE_OK == 1 ]] && want serve; then
	rm -f "$OUT"/serve-*.json
	command -v curl >/dev/null || apt_install curl curl
	if [[ -s $OUT/bench.db ]]; then
		serve_bench sqlite "$OUT/bench.db"
	else
		echo "!! serve (sqlite): no bench/out/bench.db (run the sqlite step first): left out"
	fi
	if [[ -n ${PGURL:-} ]]; then
		serve_bench postgres "$PGURL"
		pg_stop
	else
		echo "!! serve (postgres): left out: add postgres to STEPS (the serve step uses the database it fills)"
	fi
fi

if want duckdb; then
	measure duckdb-mem "$OUT/duckdb-bench" -mode load -db :memory: -threads "$THREADS" -file "$DATA"
	measure duckdb-file "$OUT/duckdb-bench" -mode load -db "$OUT/duckdb-bench.duckdb" -threads "$THREADS" -file "$DATA"
fi
# truce check (issue 4) and the DuckDB detection query, back to back so
# that both run on the same machine state: the file in the page cache, the
# same load. With the query step alone, only DuckDB.
# On a shared machine one run of each is noise as much as figure: the pair
# runs CHECK_RUNS times, alternating, and each side keeps its fastest time
# (and its highest peak RSS, and its worst exit status).
CHECK_RUNS=${CHECK_RUNS:-3}
[[ $CHECK_RUNS =~ ^[1-9][0-9]*$ ]] || die "CHECK_RUNS must be a positive integer"
# best_of KEY: KEY's figures from the runs KEY-1 .. KEY-CHECK_RUNS.
best_of() {
	local key=$1 i k
	SECS[$key]="" RSS[$key]=0 RC[$key]=0 LOG[$key]=""
	for ((i = 1; i <= CHECK_RUNS; i++)); do
		k=$key-$i
		if [[ -z ${SECS[$key]} ]] || awk -v a="${SECS[$k]}" -v b="${SECS[$key]}" 'BEGIN { exit !(a < b) }'; then
			SECS[$key]=${SECS[$k]} LOG[$key]=${LOG[$k]}
		fi
		((RSS[$k] <= RSS[$key])) || RSS[$key]=${RSS[$k]}
		((RC[$k] <= RC[$key])) || RC[$key]=${RC[$k]}
	done
}
if [[ $TRUCE_OK == 1 ]] && want check; then
	[[ -s $AGREEMENT ]] || die "check: agreement $AGREEMENT not found"
	for ((run = 1; run <= CHECK_RUNS; run++)); do
		truce_cmd check
		measure check-$run "${TC[@]}" check --agreement "$AGREEMENT" --format acled --output json "$DATA"
		measure duckdb-query-$run "$OUT/duckdb-bench" -mode query -threads "$THREADS" -file "$DATA"
	done
	best_of check
	best_of duckdb-query
elif want query || want check; then
	measure duckdb-query "$OUT/duckdb-bench" -mode query -threads "$THREADS" -file "$DATA"
fi

# --- table -----------------------------------------------------------------
# Targets (issue 17): truce's loads against DuckDB's load of the same file
# into a database file, in the same run: a fresh SQLite file and PostgreSQL
# at most 2x, a re-import of the unchanged file at most 1x; truce evaluate
# at least 200,000 records/s. RSS under 500 MB throughout.
RSS_MAX=500
EVAL_RPS=200000
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
pf() { if "$@"; then echo PASS; else echo FAIL; fi; }
# vsfile KEY MAX: KEY's time over DuckDB's file load, against MAX.
vsfile() {
	if [[ -z ${SECS[duckdb-file]:-} || ${RC[duckdb-file]:-1} != 0 ]]; then
		echo "x DuckDB file<=${2}x: no DuckDB file load in this run"
		return
	fi
	local r
	r=$(awk -v a="${SECS[$1]}" -v b="${SECS[duckdb-file]}" 'BEGIN { printf "%.2f", a / b }')
	echo "${r}x DuckDB file<=${2}x $(pf le "$r" "$2")"
}

rowsof() {
	case $1 in
	sqlite | postgres) jsonnum "$1" new ;;
	sqlite-again) jsonnum "$1" unchanged ;;
	pg-floor) sed -n 's/^COPY \([0-9]*\)$/\1/p' "${LOG[$1]}" ;;
	duckdb-*) sed -n 's/^RESULT .* rows=\([0-9]*\) .*/\1/p' "${LOG[$1]}" ;;
	esac
}
label() {
	case $1 in
	sqlite) echo "truce ingest -> SQLite (fresh file)" ;;
	sqlite-again) echo "truce ingest -> SQLite (re-import)" ;;
	postgres) echo "truce ingest -> PostgreSQL" ;;
	pg-floor) echo "PostgreSQL alone (rows ready-made)" ;;
	duckdb-mem) echo "DuckDB load, in-memory DB" ;;
	duckdb-file) echo "DuckDB load, file DB" ;;
	esac
}
ratio() { [[ -n ${SECS[$2]:-} && ${RC[$2]} == 0 ]] && awk -v a="$1" -v b="${SECS[$2]}" 'BEGIN { printf "%.1fx", a / b }' || echo -; }

echo
echo "RESULTS  N=$N rows ($DATA), $(nproc) cores, DuckDB threads=$THREADS, $(date '+%F %T')"
fmt='%-36s %8s %9s %10s %9s %9s  %s\n'
printf "$fmt" tool seconds "RSS MB" rows/s "x DuckDB" "x DuckDB" "targets"
printf "$fmt" "" "(wall)" "(peak)" "" "(memory)" "(file)" ""
printf "$fmt" ------------------------------------ -------- --------- ---------- --------- --------- -------------------------------
for key in "${ORDER[@]}"; do
	[[ $key != duckdb-query* && $key != evaluate* && $key != check* && $key != serve-* ]] || continue
	s=${SECS[$key]} m=${RSS[$key]}
	rows=$(rowsof "$key")
	rps=$(awk -v n="$N" -v s="$s" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }')
	tg=""
	case $key in
	sqlite | postgres) tg="$(vsfile "$key" 2), RSS<${RSS_MAX}MB $(pf test "$m" -lt $RSS_MAX)" ;;
	sqlite-again) tg="$(vsfile "$key" 1), all unchanged $(pf test "$rows" = "$N"), RSS<${RSS_MAX}MB $(pf test "$m" -lt $RSS_MAX)" ;;
	esac
	if [[ ${RC[$key]} != 0 ]]; then
		tg="FAILED (exit ${RC[$key]}, see bench/out/$key.log)"
	elif [[ $rows != "$N" ]]; then
		tg="$tg; rows: $rows, want $N"
	fi
	printf "$fmt" "$(label "$key")" "$s" "$m" "$rps" "$(ratio "$s" duckdb-mem)" "$(ratio "$s" duckdb-file)" "$tg"
done
[[ $TRUCE_OK == 1 ]] || echo "truce did not build (bench/out/build-truce.log): no truce rows"
echo
echo "seconds: wall clock of the whole command (/usr/bin/time %e), start-up, schema"
echo "and commit included; RSS: peak resident set of that process (%M) - for"
echo "PostgreSQL the truce client only, not the server. The DuckDB programs' own"
echo "timer (query only, start-up excluded):"
for key in duckdb-mem duckdb-file; do
	[[ -n ${LOG[$key]:-} ]] || continue
	sed -n 's/^DuckDB /    DuckDB /p' "${LOG[$key]}"
done
if [[ -n ${LOG[pg-floor]:-} ]]; then
	echo "PostgreSQL alone: the rows truce stored, exported in COPY's binary format and"
	echo "copied back by psql into an empty table in one transaction, with truce's plan"
	echo "for a first import (primary key kept, the key and the other indexes built"
	echo "after): the server's own time for these rows, without any client work."
	if [[ ${RC[pg-floor]} == 0 && ${RC[postgres]:-1} == 0 ]]; then
		echo "truce's import into PostgreSQL took $(awk -v a="${SECS[postgres]}" -v b="${SECS[pg-floor]}" \
			'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')x PostgreSQL alone."
	fi
fi
for key in sqlite sqlite-again postgres; do
	[[ -n ${LOG[$key]:-} ]] || continue
	echo "truce $key summary: read=$(jsonnum "$key" read) new=$(jsonnum "$key" new) updated=$(jsonnum "$key" updated) unchanged=$(jsonnum "$key" unchanged) rejected=$(jsonnum "$key" rejected) seconds=$(grep -o '"seconds": *[0-9.]*' "${LOG[$key]}" | head -n 1 | grep -o '[0-9.]*$' || echo '?')"
done
if [[ -n ${LOG[evaluate]:-} ]]; then
	echo
	echo "truce evaluate over the N events stored in bench/out/bench.db (SQLite), two agreement"
	echo "versions (energy-moratorium-2025, bench-2022) in one scan of the store:"
	for key in evaluate evaluate-again; do
		[[ -n ${LOG[$key]:-} ]] || continue
		if [[ ${RC[$key]} != 0 ]]; then
			echo "    $key: FAILED (exit ${RC[$key]}, see bench/out/$key.log)"
			continue
		fi
		recs=$(sed -n 's/^\([0-9]*\) records read in .*/\1/p' "${LOG[$key]}")
		rps=$(awk -v n="${recs:-0}" -v s="${SECS[$key]}" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }')
		tg=""
		[[ $key != evaluate ]] || tg=" (target >= $EVAL_RPS: $(pf test "${rps/-/0}" -ge $EVAL_RPS))"
		echo "    $key: ${recs:-?} records in ${SECS[$key]} s wall, $rps records/s with start-up$tg; ${RSS[$key]} MB peak RSS"
		sed 's/^/        /' "${LOG[$key]}"
	done
fi
if [[ -n ${LOG[check]:-} && -n ${LOG[duckdb-query]:-} ]]; then
	echo
	echo "truce check against the DuckDB detection query (issue 4), N=$N rows, one after the other,"
	echo "best of $CHECK_RUNS runs each:"
	printf '    %-44s %8s %9s  %s\n' "" "seconds" "RSS MB" "result"
	findings=$(grep -c '^{' "${LOG[check]}" || true)
	printf '    %-44s %8s %9s  %s\n' "truce check (${AGREEMENT##*/}, CGO_ENABLED=0)" "${SECS[check]}" "${RSS[check]}" \
		"$findings findings; $(grep 'records read' "${LOG[check]}" | tail -n 1)"
	printf '    %-44s %8s %9s  %s\n' "DuckDB read_csv query ($THREADS threads)" "${SECS[duckdb-query]}" "${RSS[duckdb-query]}" \
		"$(sed -n 's/^RESULT .* rows=\([0-9]*\) .*/\1/p' "${LOG[duckdb-query]}") matching rows"
	if [[ ${RC[check]} != 0 || ${RC[duckdb-query]} != 0 ]]; then
		echo "    FAILED (exit ${RC[check]} / ${RC[duckdb-query]}: see bench/out/check.log, bench/out/duckdb-query.log)"
	else
		r=$(awk -v a="${SECS[check]}" -v b="${SECS[duckdb-query]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }')
		echo "    ratio truce / DuckDB: $r (target <= 1.0: $(pf le "$r" 1.0)); truce peak RSS ${RSS[check]} MB (target < 200 MB: $(pf test "${RSS[check]}" -lt 200))"
	fi
	echo "    Both are wall clock with start-up. The two do not select the same rows: truce's"
	echo "    taxonomy finds energy targets the query's regexp does not name (\"fuel stocks\" on"
	echo "    fire), and the agreement lists more actor aliases; see bench/README.md."
elif [[ -n ${LOG[duckdb-query]:-} ]]; then
	echo
	echo "detection baseline for \`truce check\` (issue 4; truce side not measured: add check to STEPS):"
	echo "    DuckDB read_csv query, window 2022-03-18..2022-04-17 (the sample is 2022 H1),"
	echo "    Russian/Ukrainian military actor1, air/drone strike or shelling, energy terms in notes:"
	echo "    ${SECS[duckdb-query]} s wall, ${RSS[duckdb-query]} MB peak RSS; $(sed -n 's/^DuckDB //p' "${LOG[duckdb-query]}")"
fi
if [[ ${#SERVE_ROWS[@]} -gt 0 ]]; then
	echo
	echo "truce serve (issue 13): GET /api/v1/findings?$SERVE_QUERY, $RATE requests/s for $DURATION s,"
	echo "open loop from a second process on loopback (http), and the same query in process"
	echo "(app.FindingsPage + JSON encoding, the floor); N=$N events stored, $(nproc) cores shared by"
	echo "the server, the load generator and anything else running:"
	page=$(grep -ho '"page_findings": *[0-9]*' "$OUT"/serve-*.json 2>/dev/null | head -n 1 | grep -o '[0-9]*$' || true)
	bytes=$(grep -ho '"page_bytes": *[0-9]*' "$OUT"/serve-*.json 2>/dev/null | head -n 1 | grep -o '[0-9]*$' || true)
	echo "    (a page: ${page:-?} findings, ${bytes:-?} bytes of JSON)"
	printf '    %-9s %-14s %9s %7s %9s %8s %8s %8s %9s  %s\n' backend mode requests errors "answers/s" "p50 ms" "p90 ms" "p99 ms" "max ms" "target p99<50ms, no errors"
	printf '    %s\n' "${SERVE_ROWS[@]}"
	echo "    Latency from each request's scheduled time (waiting for one of the 64 slots counts);"
	echo "    the target is the http rows'; the in-process rows are the floor. Errors: non-2xx, transport,"
	echo "    or not sent by the deadline (DURATION + 10 s); see bench/out/serve-*.log."
	echo "    http and in-process ask the same query each time: after the first, the server gives the page"
	echo "    it keeps while the database is unchanged; http-new and in-process-new (-vary) make each"
	echo "    request a query of its own with the same answer, read from the store every time."
fi
if [[ ${#DASH_ROWS[@]} -gt 0 ]]; then
	echo
	echo "The dashboard (issue 14): each page $DASH_RATE requests/s for $DASH_DURATION s on the same server, N=$N events:"
	printf '    %-9s %-20s %9s %7s %8s %8s %8s %9s  %s\n' backend page requests errors "p50 ms" "p95 ms" "max ms" bytes "target p95<200ms, no errors"
	printf '    %s\n' "${DASH_ROWS[@]}"
fi
if [[ ${PROFILE:-} == 1 ]]; then
	for key in sqlite sqlite-again postgres evaluate check; do
		[[ -s $OUT/$key.prof ]] || continue
		echo
		echo "profile of $key (bench/out/$key.prof; go tool pprof -http=: bench/out/truce-prof bench/out/$key.prof):"
		go tool pprof -top -cum -nodecount=60 "$OUT/truce-prof" "$OUT/$key.prof" 2>/dev/null |
			grep -E 'Duration|flat%|truce-monitor|modernc.org/sqlite\.|pgx/v5\.|Syscall6$|gcBgMarkWorker$|memmove$|mallocgc$' |
			grep -vE 'cli\.Run$|ingestCommand|runIngest' | head -n 28 | sed 's/^/    /'
	done
fi
echo
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $DATA is generated from the shared ACLED sample and never committed."
echo "results written to ${RESULTS#"$ROOT"/}"
