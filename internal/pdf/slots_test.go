package pdf

import (
	"context"
	"errors"
	"testing"
	"time"
)

// No more than n prints at once: the next waits for a release, or gives
// up when its context ends.
func TestSlots(t *testing.T) {
	s := NewSlots(2)
	r1, err1 := s.Acquire(t.Context())
	r2, err2 := s.Acquire(t.Context())
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a third print while two run: %v, want to wait and give up", err)
	}
	r1()
	r3, err := s.Acquire(t.Context())
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	r2()
	r3()
}
