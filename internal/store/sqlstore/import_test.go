package sqlstore

import (
	"fmt"
	"testing"
)

// A key added once is always reported as seen again: the import relies on
// it to look up every key it may have written.
func TestKeyFilterNoFalseNegatives(t *testing.T) {
	f := newKeyFilter()
	const n = 200_000
	for i := range n {
		if f.add(fmt.Sprintf("UKR%d", i)) && i < 1000 {
			// A false positive this early would mean a broken filter.
			t.Fatalf("UKR%d seen before it was added", i)
		}
	}
	for i := range n {
		if !f.add(fmt.Sprintf("UKR%d", i)) {
			t.Fatalf("UKR%d added but not seen", i)
		}
	}
	// False positives only cost lookups, but too many would undo the point.
	var fp int
	for i := range n {
		if f.add(fmt.Sprintf("SYR%d", i)) {
			fp++
		}
	}
	if rate := float64(fp) / n; rate > 0.01 {
		t.Errorf("false positive rate %.4f after %d keys, want under 1%%", rate, n)
	}
}

// With the exact set, a key is reported seen only if it was added: no
// false positives, each of which would build the key index.
func TestKeyFilterExact(t *testing.T) {
	f := newKeyFilter()
	f.exact = map[uint64]struct{}{}
	const n = 300_000
	for i := range n {
		if f.add(fmt.Sprintf("UKR%d", i)) {
			t.Fatalf("UKR%d seen before it was added", i)
		}
	}
	for i := range n {
		if !f.add(fmt.Sprintf("UKR%d", i)) {
			t.Fatalf("UKR%d added but not seen", i)
		}
	}
	if f.full() || len(f.exact) != n {
		t.Fatalf("exact set of %d keys, full %v", len(f.exact), f.full())
	}
}
