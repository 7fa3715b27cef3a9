package cli

import "runtime/debug"

// The commands that stream a whole input or table, ingest and evaluate,
// allocate a great deal that is garbage at once over a small live heap:
// an import some 4 GB a million rows over 50 MB, evaluate's scan a record
// at a time. At the default GOGC=100 the collector ran about a hundred
// times an import and, with the memory it gave back and took again, cost a
// tenth of the command. 1M ACLED rows into a new SQLite file, four pairs:
// 12.3 s against 13.6 s (GOGC=200, peak RSS 379 MB against 330 MB);
// GOGC=300 gave 11.9 s at 435 MB, too near the 500 MB an import is held
// to. evaluate --full over the stored million, four pairs: 3.6 s against
// 5.0 s, 88 MB against 75 MB. The memory limit keeps a heap that grows
// anyway (huge records) from tripling.
const (
	bulkGCPercent = 200
	bulkMemLimit  = 384 << 20
)

// bulkGC sets the collector for such a command, unless the environment
// sets it (GOGC, GOMEMLIMIT), and returns the function that sets it back.
func bulkGC(getenv func(string) string) (restore func()) {
	gc, limit := getenv("GOGC") == "", getenv("GOMEMLIMIT") == ""
	var oldGC int
	var oldLimit int64
	if gc {
		oldGC = debug.SetGCPercent(bulkGCPercent)
	}
	if limit {
		oldLimit = debug.SetMemoryLimit(bulkMemLimit)
	}
	return func() {
		if gc {
			debug.SetGCPercent(oldGC)
		}
		if limit {
			debug.SetMemoryLimit(oldLimit)
		}
	}
}
