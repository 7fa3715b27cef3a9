package cli

import "runtime/debug"

// An import allocates some 4 GB a million rows, nearly all of it garbage at
// once (a row's strings, its encoded values), over a live heap of 50 MB: at
// the default GOGC=100 the collector ran about a hundred times and, with
// the memory it gave back and took again, cost a tenth of the command.
// 1M ACLED rows into a new SQLite file, four pairs: 12.3 s against 13.6 s
// (GOGC=200, peak RSS 379 MB against 330 MB); GOGC=300 gave 11.9 s at
// 435 MB, too near the 500 MB an import is held to. The memory limit keeps
// a heap that grows anyway (huge records) from tripling.
const (
	bulkGCPercent = 200
	bulkMemLimit  = 384 << 20
)

// bulkGC sets the collector for a bulk import, unless the environment
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
