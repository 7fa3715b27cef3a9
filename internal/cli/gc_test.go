package cli

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the GC percent (setting it is the only way).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// bulkGC sets the collector for the import and back after it, and leaves
// alone what the environment sets.
func TestBulkGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	limit := debug.SetMemoryLimit(-1) // a negative limit only reads it

	restore := bulkGC(func(string) string { return "" })
	if got := gcPercent(); got != bulkGCPercent {
		t.Errorf("GC percent during the import: %d, want %d", got, bulkGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != bulkMemLimit {
		t.Errorf("memory limit during the import: %d, want %d", got, bulkMemLimit)
	}
	restore()
	if got := gcPercent(); got != 100 {
		t.Errorf("GC percent after: %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit after: %d, want %d", got, limit)
	}

	env := map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}
	restore = bulkGC(func(k string) string { return env[k] })
	defer restore()
	if got := gcPercent(); got != 100 {
		t.Errorf("GC percent with GOGC set: %d, want it left at 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit with GOMEMLIMIT set: %d, want it left at %d", got, limit)
	}
}
