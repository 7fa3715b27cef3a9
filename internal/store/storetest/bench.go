package storetest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
)

// BenchEvents is how many events one import of BenchmarkImport writes:
// TRUCE_BENCH_EVENTS, or 100,000.
func BenchEvents(b *testing.B) int {
	n := 100_000
	if v := os.Getenv("TRUCE_BENCH_EVENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("TRUCE_BENCH_EVENTS=%q is not a positive number", v)
		}
	}
	return n
}

// BenchmarkImport measures importing n ACLED-like events in one batch:
// into an empty database ("new"), the same again ("unchanged") and all
// edited ("updated"). It reports events/s, the seconds Commit took (part
// of the rate), and the CPU time and peak RSS of this process: for SQLite
// that includes the database engine, for PostgreSQL it is the client only.
// "generate" is what making the events costs, part of every other figure.
// Set TRUCE_BENCH_EVENTS for another n than 100,000.
func BenchmarkImport(b *testing.B, bk Backend, n int) {
	b.Run("generate", func(b *testing.B) {
		var g synthetic
		var m meter
		for range b.N {
			m.start()
			for i := range n {
				g.event(i, "")
			}
			m.stop()
		}
		m.report(b, n)
	})
	b.Run("new", func(b *testing.B) {
		var m meter
		for range b.N {
			b.StopTimer()
			s := benchOpen(b, bk)
			b.StartTimer()
			m.start()
			m.commit += benchImport(b, s, n, "", store.ImportCounts{New: n})
			m.stop()
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
		m.report(b, n)
	})
	for _, tt := range []struct {
		name, edit string
		want       store.ImportCounts
	}{
		{"unchanged", "", store.ImportCounts{Unchanged: n}},
		{"updated", " (revised)", store.ImportCounts{Updated: n}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var m meter
			for range b.N {
				b.StopTimer()
				s := benchOpen(b, bk)
				benchImport(b, s, n, "", store.ImportCounts{New: n})
				b.StartTimer()
				m.start()
				m.commit += benchImport(b, s, n, tt.edit, tt.want)
				m.stop()
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			m.report(b, n)
		})
	}
}

func benchOpen(b *testing.B, bk Backend) store.Store {
	s, err := bk.Open(b.Context(), bk.NewDSN(b))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// benchImport imports n events and returns how long Commit took.
func benchImport(b *testing.B, s store.Store, n int, edit string, want store.ImportCounts) time.Duration {
	ctx := b.Context()
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer im.Rollback()
	var g synthetic
	for i := range n {
		if err := im.AddEvent(ctx, g.event(i, edit)); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	got, err := im.Commit(ctx)
	if err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	got.Batch = 0
	if got != want {
		b.Fatalf("counts %+v, want %+v", got, want)
	}
	return took
}

// meter adds up the CPU time, commit time and peak memory of the measured
// imports.
type meter struct {
	cpu, cpu0 time.Duration
	commit    time.Duration
	peakMB    float64
}

func (m *meter) start() {
	resetPeakRSS()
	m.cpu0 = cpuTime()
}

func (m *meter) stop() {
	m.cpu += cpuTime() - m.cpu0
	m.peakMB = max(m.peakMB, peakRSS())
}

// report gives the rate of n events per import, and the CPU time and
// peak RSS of this process: for SQLite that includes the database engine,
// for PostgreSQL not the server.
func (m *meter) report(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(0, "ns/op") // one op is a whole import: events/s says it better
	b.ReportMetric(m.cpu.Seconds()/float64(b.N), "CPU-s/op")
	if m.commit > 0 {
		// Part of the rate: what is left to write, and on SQLite the
		// checkpoint that copies the write-ahead log into the database.
		b.ReportMetric(m.commit.Seconds()/float64(b.N), "commit-s/op")
	}
	if m.peakMB > 0 {
		b.ReportMetric(m.peakMB, "peak-RSS-MB")
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS restarts the kernel's peak RSS count (Linux), so each
// import reports its own.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident set in MB, or 0 where unknown.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// synthetic makes ACLED-like events: a raw record of the 31 ACLED columns
// of about 1 KB, about 300 bytes of notes, two actors, zero to two
// targets. It builds them with appends, so that making them costs little
// next to storing them.
type synthetic struct{ buf []byte }

var benchTargets = [][]event.Reason{
	nil,
	{{Term: "energy.substation", Field: "notes", Match: "substation", Rule: "energy-words"}},
	{{Term: "energy.power_line", Field: "notes", Match: "power line"}, {Term: "energy.gas", Field: "notes", Match: "gas metering station"}},
}

func (g *synthetic) event(i int, edit string) *event.Event {
	id := "UKR" + strconv.Itoa(100000+i)
	day := time.Date(2022, 2, 24, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%1200)
	lat, lon := 44+float64(i%700)/100, 30+float64(i%900)/100
	fatalities := i % 5

	// The notes need no JSON escaping.
	b := append(g.buf[:0], "On "...)
	b = day.AppendFormat(b, "2 January 2006")
	b = append(b, ", Russian forces shelled the outskirts of settlement "...)
	b = strconv.AppendInt(b, int64(i%997), 10)
	b = append(b, " in the Kramatorskyi district with artillery and drones; a substation and power line were "+
		"reported damaged, leaving part of the town without electricity. Local authorities reported "...)
	b = strconv.AppendInt(b, int64(fatalities), 10)
	b = append(b, " fatalities and several wounded. [size=no report] Ukrainian air defence said it intercepted "+
		"several drones overnight."...)
	b = append(b, edit...)
	notes := string(b)

	b = append(b[:0], `{"actor1":"Military Forces of Russia (2000-)","actor2":"Civilians (Ukraine)","admin1":"Donetsk",`+
		`"admin2":"Kramatorskyi","admin3":"Sloviansk","assoc_actor_1":"","assoc_actor_2":"","civilian_targeting":"Civilian targeting",`+
		`"country":"Ukraine","disorder_type":"Political violence","event_date":"`...)
	b = day.AppendFormat(b, "2006-01-02")
	b = append(b, `","event_id_cnty":"`...)
	b = append(b, id...)
	b = append(b, `","event_type":"Explosions/Remote violence","fatalities":"`...)
	b = strconv.AppendInt(b, int64(fatalities), 10)
	b = append(b, `","geo_precision":"1","inter1":"8","inter2":"7","interaction":"87","iso":"804","latitude":"`...)
	b = strconv.AppendFloat(b, lat, 'f', 4, 64)
	b = append(b, `","location":"Sloviansk","longitude":"`...)
	b = strconv.AppendFloat(b, lon, 'f', 4, 64)
	b = append(b, `","notes":"`...)
	b = append(b, notes...)
	b = append(b, `","region":"Europe","source":"Ministry of Defence of Ukraine; Ukrinform","source_scale":"National",`+
		`"sub_event_type":"Shelling/artillery/missile attack","tags":"","time_precision":"1","timestamp":"1700000000","year":"`...)
	b = strconv.AppendInt(b, int64(day.Year()), 10)
	b = append(b, `"}`...)
	g.buf = b
	raw := bytes.Clone(b)
	sum := sha256.Sum256(raw)
	return &event.Event{
		Source:   "acled",
		SourceID: id,
		Time:     event.Span{Start: day, End: day.AddDate(0, 0, 1), Precision: event.TimeDay},
		Place: event.Place{Name: "Sloviansk", Country: "UA", Admin1: "Donetsk", Admin2: "Kramatorskyi", Admin3: "Sloviansk",
			Lat: &lat, Lon: &lon, Precision: event.GeoTown},
		Actors: []event.Actor{
			{Name: "Military Forces of Russia (2000-)", Role: "actor1", Party: "ru"},
			{Name: "Civilians (Ukraine)", Role: "actor2"},
		},
		Kind:       "strike.artillery",
		KindReason: &event.Reason{Term: "strike.artillery", Field: "sub_event_type", Match: "Shelling/artillery/missile attack"},
		Targets:    benchTargets[i%3],
		Fatalities: &fatalities,
		Text:       notes,
		Raw:        json.RawMessage(raw),
		Hash:       hex.EncodeToString(sum[:]),
	}
}
