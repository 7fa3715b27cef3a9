package cli

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/testbin"
)

// TestIngestHostileInputs runs the real binary, as users do, on inputs
// written here: every ingest runs in a temporary working directory that
// must stay empty, the exit status says what happened (0, 3, 1), bad rows
// are named on stderr, and a decompression bomb for each format is refused
// with peak memory well under 500 MB.
func TestIngestHostileInputs(t *testing.T) {
	bin := testbin.Build(t)
	data := t.TempDir() // inputs and databases; never the working directory
	cwd := t.TempDir()
	db := filepath.Join(data, "t.db")
	truce := func(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string, maxRSS int64) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = cwd
		cmd.Env = append(os.Environ(), "TRUCE_DB="+db, "TRUCE_TOKEN=")
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		peak := measureRSS(t, cmd)
		err := cmd.Run()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatal(err)
		}
		ents, _ := os.ReadDir(cwd)
		for _, e := range ents {
			t.Errorf("truce %s left %s in the working directory", strings.Join(args, " "), e.Name())
		}
		return cmd.ProcessState.ExitCode(), out.String(), errb.String(), peak()
	}
	write := func(name, body string) string {
		p := filepath.Join(data, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const header = "event_id_cnty,event_date,event_type,sub_event_type,actor1,notes\n"
	row := func(id, date string) string { return id + "," + date + ",Battles,Armed clash,A,x\n" }

	t.Run("exit status and bad rows", func(t *testing.T) {
		good := write("good.csv", header+row("G1", "2022-03-01")+row("G2", "2022-03-02"))
		var b strings.Builder
		b.WriteString(header + row("B0", "2022-03-01"))
		for i := range 14 {
			b.WriteString(row(fmt.Sprint("B", i+1), "2022-02-30"))
		}
		some := write("some.csv", b.String())
		none := write("none.csv", header+row("N1", "yesterday"))
		notCSV := write("gdelt.csv", header+row("X1", "2022-03-01"))

		if code, _, stderr, _ := truce(t, "", "ingest", "--format", "acled", good); code != 0 {
			t.Fatalf("all imported: exit %d\n%s", code, stderr)
		}
		code, _, stderr, _ := truce(t, "", "ingest", "--format", "acled", good, some)
		if code != 3 || strings.Count(stderr, `field "event_date": not a date`) != 10 ||
			!strings.Contains(stderr, some+`:3: field "event_date": not a date`) || !strings.Contains(stderr, "... and 4 more bad rows") {
			t.Fatalf("some rejected: exit %d\n%s", code, stderr)
		}
		if code, _, stderr, _ := truce(t, "", "ingest", "--format", "acled", good, none); code != 1 || !strings.Contains(stderr, "none of its 1 rows imported") {
			t.Fatalf("none imported: exit %d\n%s", code, stderr)
		}
		if code, _, stderr, _ := truce(t, "", "ingest", "--format", "gdelt", notCSV); code != 1 || !strings.Contains(stderr, "not gdelt input: use --format acled") {
			t.Fatalf("refused: exit %d\n%s", code, stderr)
		}
		if code, _, stderr, _ := truce(t, header+row("S1", "2022-03-01"), "ingest", "--format", "acled", "-"); code != 0 {
			t.Fatalf("stdin: exit %d\n%s", code, stderr)
		}

		// The rejects are kept with their batch.
		_, stdout, _, _ := truce(t, "", "imports")
		if !strings.Contains(stdout, "REJECTED") || !strings.Contains(stdout, some) {
			t.Fatalf("imports:\n%s", stdout)
		}
		var batch string
		for _, l := range strings.Split(stdout, "\n") {
			if strings.Contains(l, some) {
				batch = strings.Fields(l)[0]
			}
		}
		code, stdout, stderr, _ = truce(t, "", "imports", "rejects", batch)
		if code != 0 || strings.Count(stdout, "\n") != 14 || !strings.Contains(stdout, some+`:16: field "event_date": not a date`) {
			t.Fatalf("imports rejects %s: exit %d\n%s%s", batch, code, stdout, stderr)
		}
		if code, _, _, _ := truce(t, "", "imports", "rejects", "999"); code != 1 {
			t.Fatalf("rejects of no batch: exit %d", code)
		}

		// --rejects FILE: written where asked, never over an existing file.
		rej := filepath.Join(data, "rejects.csv")
		if code, _, stderr, _ := truce(t, "", "ingest", "--format", "acled", "--rejects", rej, some); code != 3 {
			t.Fatalf("--rejects: exit %d\n%s", code, stderr)
		}
		if b, _ := os.ReadFile(rej); strings.Count(string(b), "\n") != 15 {
			t.Fatalf("rejects file:\n%s", b)
		}
		if code, _, stderr, _ := truce(t, "", "ingest", "--format", "acled", "--rejects", rej, some); code == 0 || !strings.Contains(stderr, "must not exist") {
			t.Fatalf("--rejects over an existing file: exit %d\n%s", code, stderr)
		}
	})

	t.Run("SIGTERM ends a read of stdin", func(t *testing.T) {
		cmd := exec.Command(bin, "ingest", "--format", "acled", "-")
		cmd.Dir = cwd
		cmd.Env = append(os.Environ(), "TRUCE_DB="+db, "TRUCE_TOKEN=")
		stdin, err := cmd.StdinPipe() // kept open: the read waits
		if err != nil {
			t.Fatal(err)
		}
		defer stdin.Close()
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stdin.Write([]byte(header))
		time.Sleep(time.Second)
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
			if cmd.ProcessState.ExitCode() == 0 {
				t.Errorf("exit 0 after SIGTERM\n%s", errb.String())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatal("truce ingest - ignored SIGTERM while reading stdin")
		}
	})

	t.Run("token checked before a file is opened", func(t *testing.T) {
		users := filepath.Join(data, "users.db")
		add := exec.Command(bin, "--db", users, "user", "add", "ada", "--role", "admin")
		add.Dir = cwd
		if out, err := add.CombinedOutput(); err != nil {
			t.Fatalf("user add: %v\n%s", err, out)
		}
		fifo := filepath.Join(data, "fifo.csv")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "--db", users, "ingest", "--format", "acled", fifo)
		cmd.Dir = cwd
		cmd.Env = append(os.Environ(), "TRUCE_TOKEN=")
		done := make(chan []byte, 1)
		go func() { out, _ := cmd.CombinedOutput(); done <- out }()
		select {
		case out := <-done:
			if cmd.ProcessState.ExitCode() == 0 || !strings.Contains(string(out), "TRUCE_TOKEN") {
				t.Errorf("ingest without a token: exit %d\n%s", cmd.ProcessState.ExitCode(), out)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatal("ingest opened the FIFO before checking the token")
		}
	})

	t.Run("zip members and deletions", func(t *testing.T) {
		zp := filepath.Join(data, "two.zip")
		f, _ := os.Create(zp)
		w := zip.NewWriter(f)
		for _, m := range []string{"a.csv", "b.csv"} {
			e, _ := w.Create(m)
			e.Write([]byte(header + row("Z"+m, "2022-03-01")))
		}
		w.Close()
		f.Close()
		code, stdout, stderr, _ := truce(t, "", "ingest", "--format", "acled", zp)
		if code != 0 || !strings.Contains(stdout, zp+":a.csv") || !strings.Contains(stdout, zp+":b.csv") {
			t.Fatalf("zip: exit %d\n%s%s", code, stdout, stderr)
		}
		dels := write("deleted.csv", "event_id_cnty,deleted_timestamp\nZa.csv,1700000000\nZb.csv,x\n")
		code, stdout, stderr, _ = truce(t, "", "ingest", "--format", "acled", "--deletions", dels)
		if code != 0 || !strings.Contains(stdout, "1 listed, 1 marked deleted") || !strings.Contains(stderr, `field "deleted_timestamp"`) {
			t.Fatalf("deletions: exit %d\n%s%s", code, stdout, stderr)
		}
		_, stdout, _, _ = truce(t, "", "imports")
		found := false
		for _, l := range strings.Split(stdout, "\n") {
			if f := strings.Fields(l); strings.Contains(l, dels) {
				found = true
				if f[len(f)-2] != "1" || f[len(f)-1] != "1" {
					t.Errorf("deletion batch: %s", l)
				}
			}
		}
		if !found {
			t.Errorf("no deletion batch listed:\n%s", stdout)
		}
	})

	t.Run("decompression bombs", func(t *testing.T) {
		// One gzip member of 1 MiB of 'x', repeated: a 2 GiB field in a
		// file of about 2 MB (gzip readers read every member).
		gzipOf := func(b []byte) []byte {
			var member bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			return member.Bytes()
		}
		member := gzipOf(bytes.Repeat([]byte("x"), 1<<20))
		bomb := func(name, head string, member []byte) string {
			p := filepath.Join(data, name)
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			zw := gzip.NewWriter(f)
			zw.Write([]byte(head))
			zw.Close()
			for range 2048 {
				f.Write(member)
			}
			f.Close()
			return p
		}
		mapping := write("m.yaml", "format: 1\nrecord: claim\nsource: s\nid: {column: id}\ntime: {column: date, layout: date, time_zone: UTC, precision: day}\ntext: [text]\nclaimant: {value: RU}\n")
		for _, tc := range []struct {
			format string
			args   []string
			head   string
		}{
			{"acled", nil, header + "B1,2022-03-01,Battles,Armed clash,A,\""},
			{"ucdp", nil, "id,date_start,date_end,source_headline\n1,2015-01-01,2015-01-01,\""},
			{"strikes", nil, "time_start,model,target\n2025-03-18,Shahed,\""},
			{"gdelt", nil, "1\t"},
			{"claims", []string{"--mapping", mapping}, "id,date,text\n1,2025-03-18,\""},
			{"acled", []string{"--deletions"}, "event_id_cnty,deleted_timestamp\n\""},
			{"ucdp", nil, ""}, // GeoJSON: one string of 2 GiB
			{"acled", nil, "blank lines"},
			{"ucdp", nil, "many strings"},
		} {
			name := tc.format + ".csv.gz"
			if len(tc.args) > 0 {
				name = tc.format + "-" + strings.TrimPrefix(tc.args[0], "--") + ".csv.gz"
			}
			member := member
			switch tc.head {
			case "":
				name = "ged.geojson.gz"
				tc.head = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"`
			case "many strings":
				// One GeoJSON feature of 2 GiB of short strings.
				name = "ged-feature.geojson.gz"
				tc.head, member = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{`,
					gzipOf(bytes.Repeat([]byte(`"k":"v",`), 1<<17))
			case "blank lines":
				// Within every field and line limit: the ratio stops it.
				name = "acled-ratio.csv.gz"
				tc.head, member = header, gzipOf(bytes.Repeat([]byte("\n"), 1<<20))
			}
			path := bomb(name, tc.head, member)
			if fi, _ := os.Stat(path); fi.Size() > 4<<20 {
				t.Fatalf("the bomb is %d bytes", fi.Size())
			}
			start := time.Now()
			args := append([]string{"ingest", "--format", tc.format}, tc.args...)
			code, _, stderr, rss := truce(t, "", append(args, path)...)
			// The child's maxrss counts the memory of this test process at
			// the fork: an upper bound of truce's own peak.
			t.Logf("%s: exit %d in %v, peak RSS at most %.1f MB: %s", name, code, time.Since(start).Round(time.Millisecond), float64(rss)/1e6, strings.TrimSpace(stderr))
			if code != 1 || !strings.Contains(stderr, "exceeds the limit") {
				t.Errorf("%s: exit %d\n%s", name, code, stderr)
			}
			if rss > 500<<20 {
				t.Errorf("%s: peak RSS %d MB", name, rss>>20)
			}
		}
	})
}
