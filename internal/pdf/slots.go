package pdf

import (
	"context"
	"fmt"
)

// Slots bounds the prints that run at once: each starts a browser, and a
// server must not start one per request however many come.
type Slots chan struct{}

// NewSlots allows n prints at once.
func NewSlots(n int) Slots { return make(Slots, n) }

// Acquire waits for a free slot, or for ctx to end; release gives it back.
func (s Slots) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case s <- struct{}{}:
		return func() { <-s }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting to print a PDF: %w", ctx.Err())
	}
}
