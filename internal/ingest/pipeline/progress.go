package pipeline

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Progress is how far the import of one file is.
type Progress struct {
	File string
	// Bytes were read of the file's Size (0 when unknown, as for stdin):
	// compressed bytes for a compressed file.
	Bytes, Size int64
	Rows        int64
	// Rejected rows so far, of Rows.
	Rejected int64
	Elapsed  time.Duration
	// Done: the file is finished (imported or not); the last report.
	Done bool
}

// String is the progress as one line: the file, how much of it is read,
// how fast.
func (p Progress) String() string {
	secs := max(p.Elapsed.Seconds(), 0.001)
	// The name may be a zip member's, chosen by whoever made the archive.
	s := fmt.Sprintf("%s: %s", strings.Trim(strconv.Quote(p.File), `"`), mb(p.Bytes))
	if p.Size > 0 {
		s += fmt.Sprintf(" of %s (%d%%)", mb(p.Size), min(100, p.Bytes*100/p.Size))
	}
	return s + fmt.Sprintf(", %s/s, %d rows, %.0f rows/s", mb(int64(float64(p.Bytes)/secs)), p.Rows, float64(p.Rows)/secs)
}

// StartProgress calls report with how far in is (read rows of it so far,
// rejected of them) every period (250ms if 0), and once more with Done set
// when stop is called; with a nil report it does nothing.
func StartProgress(report func(Progress), every time.Duration, in *Input, read *atomic.Int64, rejected func() int64, start time.Time) (stop func()) {
	if report == nil {
		return func() {}
	}

	if every <= 0 {
		every = 250 * time.Millisecond
	}
	now := func() Progress {
		return Progress{File: in.Name, Bytes: in.BytesRead(), Size: in.Size, Rows: read.Load(), Rejected: rejected(), Elapsed: time.Since(start)}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				p := now()
				p.Done = true
				report(p)
				return
			case <-t.C:
				report(now())
			}
		}
	}()
	return func() { close(done); <-finished }
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
