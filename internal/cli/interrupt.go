package cli

import (
	"context"
	"errors"
	"fmt"
)

// errInterrupted is what a command that was waiting says when Ctrl-C or
// SIGTERM (the root context, see cmd/truce) ends it.
var errInterrupted = errors.New("interrupted")

// untilDone runs read, which may block for good (a FIFO no one opens for
// writing, a terminal no one types into), and returns its result, or an
// error as soon as ctx is done. The read is then abandoned in its goroutine:
// the command returns and the process exits.
func untilDone[T any](ctx context.Context, read func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := read()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("%w: %w", errInterrupted, context.Cause(ctx))
	}
}
