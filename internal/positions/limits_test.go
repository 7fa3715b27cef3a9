package positions

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// pairs builds n pairs of terms, each "a only without b, b only without
// a": 2^n maximal packages, the worst case the limits are there for.
func pairs(t testing.TB, n int) *File {
	var terms, stances []string
	for i := range n {
		a, b := fmt.Sprintf("a%d", i), fmt.Sprintf("b%d", i)
		terms = append(terms, a, b)
		stances = append(stances, "P "+a+" conditional NOT "+b, "P "+b+" conditional NOT "+a)
	}
	return build(t, terms, []string{"P"}, stances...)
}

// A search whose caller gives up stops with an error saying so, not an
// answer; the same problem with time to spare is answered in full.
func TestCommonGroundStopsWhenCancelled(t *testing.T) {
	f := pairs(t, 15) // 2^15 leaves: more steps than one look at the context
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := CommonGroundContext(ctx, f.At(day))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled search: %v, want an error wrapping context.Canceled", err)
	}
	ctx, stop := context.WithTimeout(t.Context(), time.Minute)
	defer stop()
	r, err := CommonGroundContext(ctx, f.At(day))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Packages) != 1<<15 || r.Count != "14348907" { // 3^15: each pair none, a or b
		t.Errorf("%d maximal packages, count %s; want 32768 and 3^15", len(r.Packages), r.Count)
	}
}

// Past the candidate limit the search refuses with ErrTooHard.
func TestCommonGroundTooHard(t *testing.T) {
	_, err := CommonGround(pairs(t, 17).At(day))
	if !errors.Is(err, ErrTooHard) {
		t.Fatalf("2^17 maximal packages: %v, want ErrTooHard", err)
	}
}
