// Command duckdb-bench is the DuckDB baseline of truce's benchmarks. It lives
// in its own Go module because DuckDB's Go bindings need cgo, and the truce
// binary stays cgo-free.
//
// Modes:
//
//	-mode load   CREATE TABLE ev AS SELECT * FROM read_csv(FILE, header=true),
//	             into an in-memory database (-db :memory:, the default) or a
//	             fresh database file (-db PATH; removed first, and afterwards
//	             unless -keep). The baseline for `truce ingest`.
//	-mode query  one read_csv query straight over FILE with the moratorium
//	             filters (window, actor, event type, energy terms in notes) and
//	             count(*). The baseline for `truce check`.
//	-mode sql    -q QUERY, with FILE for {{file}}: time an ad-hoc query that
//	             returns one number (for looking into where time goes).
//
// DuckDB runs with -threads workers (default 2, the cores of the benchmark
// machine). The last line of output is machine-readable:
//
//	RESULT mode=load db=memory threads=2 rows=1000000 seconds=1.234
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// The query mode's filters. The shared sample is ACLED 2022 H1, so the window
// is the 2025 moratorium's 30 days (18 Mar - 17 Apr) moved to 2022, where the
// replayed file has events; the energy terms follow the Kremlin's list of
// covered facilities of 25 Mar 2025.
const (
	defaultFrom = "2022-03-18"
	defaultTo   = "2022-04-17"
	energyRegex = `substation|power plant|power station|thermal power|power line|transmission line|transformer|electricity|power grid|energy infrastructure|energy facilit|refinery|oil depot|fuel depot|oil storage|gas storage|pipeline|pumping station|gas metering|hydroelectric|\bdam\b|nuclear power`
)

func main() {
	file := flag.String("file", "../data/acled-1m.csv", "ACLED CSV to read")
	mode := flag.String("mode", "load", "load (CREATE TABLE AS read_csv), query (filtered count over read_csv) or sql (-q)")
	db := flag.String("db", ":memory:", "database: :memory: or a file path (load mode; the file is replaced)")
	keep := flag.Bool("keep", false, "keep the database file after a load")
	threads := flag.Int("threads", 2, "DuckDB worker threads (SET threads)")
	from := flag.String("from", defaultFrom, "query mode: first day of the window (event_date, inclusive)")
	to := flag.String("to", defaultTo, "query mode: last day of the window (inclusive)")
	showSQL := flag.Bool("sql", false, "print the SQL before running it")
	adhoc := flag.String("q", "", "sql mode: a query returning one integer; {{file}} stands for the quoted FILE")
	flag.Parse()

	if _, err := os.Stat(*file); err != nil {
		fatal(err)
	}
	if err := run(*mode, *file, *db, *keep, *threads, *from, *to, *showSQL, *adhoc); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "duckdb-bench: %v\n", err)
	os.Exit(1)
}

func run(mode, file, dbPath string, keep bool, threads int, from, to string, showSQL bool, adhoc string) error {
	memory := dbPath == "" || dbPath == ":memory:"
	dsn := ""
	dbLabel := "memory"
	if mode == "load" && !memory {
		for _, p := range []string{dbPath, dbPath + ".wal"} {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
		dsn = dbPath
		dbLabel = "file"
		if !keep {
			defer os.Remove(dbPath + ".wal")
			defer os.Remove(dbPath)
		}
	}
	db, err := sql.Open("duckdb", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	// One connection: SET applies per connection in database/sql's pool.
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads)); err != nil {
		return err
	}
	var version string
	if err := db.QueryRowContext(ctx, "SELECT version()").Scan(&version); err != nil {
		return err
	}

	lit := quote(file)
	var rows int64
	var elapsed time.Duration
	switch mode {
	case "load":
		q := "CREATE TABLE ev AS SELECT * FROM read_csv(" + lit + ", header=true)"
		if showSQL {
			fmt.Println(q)
		}
		start := time.Now()
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
		if !memory {
			// Make the file database durable, as truce's commit is.
			if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
				return err
			}
		}
		elapsed = time.Since(start)
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM ev").Scan(&rows); err != nil {
			return err
		}
		if !memory {
			if fi, err := os.Stat(dbPath); err == nil {
				fmt.Printf("database file %s: %.0f MB\n", dbPath, float64(fi.Size())/1e6)
			}
		}
	case "query":
		dbLabel = "memory"
		q := querySQL(lit, from, to)
		if showSQL {
			fmt.Println(q)
		}
		start := time.Now()
		if err := db.QueryRowContext(ctx, q).Scan(&rows); err != nil {
			return err
		}
		elapsed = time.Since(start)
	case "sql":
		q := strings.ReplaceAll(adhoc, "{{file}}", lit)
		if showSQL {
			fmt.Println(q)
		}
		start := time.Now()
		if err := db.QueryRowContext(ctx, q).Scan(&rows); err != nil {
			return err
		}
		elapsed = time.Since(start)
	default:
		return fmt.Errorf("unknown -mode %q (want load or query)", mode)
	}
	if mode != "load" {
		fmt.Printf("DuckDB %s, %d threads, %s over read_csv: %d matching rows in %.3fs\n",
			version, threads, mode, rows, elapsed.Seconds())
	} else {
		fmt.Printf("DuckDB %s, %d threads, load into %s DB: %d rows in %.3fs (%.0f rows/s)\n",
			version, threads, dbLabel, rows, elapsed.Seconds(), float64(rows)/elapsed.Seconds())
	}
	fmt.Printf("RESULT mode=%s db=%s threads=%d rows=%d seconds=%.3f\n", mode, dbLabel, threads, rows, elapsed.Seconds())
	return nil
}

// querySQL is the detection baseline: the events in the window whose actor1
// is Russia's or Ukraine's military, of the strike sub-event types, with an
// energy term in the notes.
func querySQL(fileLit, from, to string) string {
	return `SELECT count(*) FROM read_csv(` + fileLit + `, header=true)
WHERE event_date BETWEEN DATE ` + quote(from) + ` AND DATE ` + quote(to) + `
  AND (starts_with(actor1, 'Military Forces of Russia') OR starts_with(actor1, 'Military Forces of Ukraine'))
  AND sub_event_type IN ('Air/drone strike', 'Shelling/artillery/missile attack')
  AND regexp_matches(lower(notes), ` + quote(energyRegex) + `)`
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
