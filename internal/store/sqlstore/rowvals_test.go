package sqlstore

import (
	"strconv"
	"testing"
)

// A boxed value keeps the string it was given while the chunk's
// strings grow past their room, and a reset chunk starts empty.
func TestRowValsKeepStrings(t *testing.T) {
	var r rowVals
	for round := range 2 {
		for i := range 1000 { // grows strs several times in the first round
			r.vals = append(r.vals, r.str(strconv.Itoa(round*1000+i)), int64(i))
		}
		for i := range 1000 {
			if got, want := valueString(r.vals[2*i]), strconv.Itoa(round*1000+i); got != want {
				t.Fatalf("round %d, value %d: %q, want %q", round, i, got, want)
			}
		}
		r.reset()
		if len(r.vals) != 0 || len(r.strs) != 0 {
			t.Fatalf("after reset: %d values, %d strings", len(r.vals), len(r.strs))
		}
	}
	if valueString("plain") != "plain" || valueString(int64(1)) != "" {
		t.Fatal("valueString of a string or a non-string")
	}
}
