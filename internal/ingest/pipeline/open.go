package pipeline

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/truce-monitor/truce/internal/ingest"
)

// Limits bound one input file. Each has a flag; zero fields take the
// defaults of DefaultLimits.
type Limits struct {
	ingest.Limits
	// MaxSize is the most bytes a file may decompress to.
	MaxSize int64
	// MaxRatio is the most a compressed file may expand, decompressed
	// bytes over compressed ones, once it is past ratioFloor.
	MaxRatio int64
	// MaxMembers is the most files a zip archive may hold.
	MaxMembers int
}

// ratioFloor is how much a file may decompress to before MaxRatio is
// checked: small files of repeated text compress very well, and are no
// threat.
const ratioFloor = 64 << 20

// DefaultLimits are the limits when no flag sets them.
func DefaultLimits() Limits {
	return Limits{Limits: ingest.DefaultLimits(), MaxSize: 16 << 30, MaxRatio: 100, MaxMembers: 100}
}

// orDefault fills zero fields from DefaultLimits.
func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxField == 0 {
		l.MaxField = d.MaxField
	}
	if l.MaxLine == 0 {
		l.MaxLine = d.MaxLine
	}
	if l.MaxSize == 0 {
		l.MaxSize = d.MaxSize
	}
	if l.MaxRatio == 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxMembers == 0 {
		l.MaxMembers = d.MaxMembers
	}
	return l
}

// Input is an opened input file, decompressed.
type Input struct {
	// Name is how messages refer to the input: the path, "archive.zip:entry"
	// or "-" for standard input.
	Name string
	// Size is the size of the file on disk when known (0 for stdin); with
	// Read it drives the progress display.
	Size int64
	// BytesRead counts the bytes read from disk so far (compressed bytes for
	// compressed files, which is what Size measures).
	BytesRead func() int64
	io.Reader
	close func() error
}

// Close closes the input.
func (in *Input) Close() error { return in.close() }

// countingReader counts the bytes read through it. The count is atomic:
// the progress display reads it from another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Open opens path for reading: "-" is stdin, read so that cancelling ctx
// (Ctrl-C) ends a read that waits; a .gz file is gunzipped (recognised by
// its magic bytes, whatever its name); a .zip archive yields every file it
// holds, each an input of its own, as GDELT publishes its exports.
// Decompression is bounded by lim: a file that expands past MaxSize, or by
// more than MaxRatio, fails its read with a *ingest.LimitError.
func Open(ctx context.Context, path string, stdin io.Reader, lim Limits) ([]*Input, error) {
	lim = lim.orDefault()
	var (
		src   io.Reader
		size  int64
		close = func() error { return nil }
	)
	if path == "-" {
		src = &ctxReader{ctx: ctx, r: stdin}
	} else {
		if strings.HasSuffix(strings.ToLower(path), ".zip") {
			return openZip(path, lim)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		if fi, err := f.Stat(); err == nil {
			if fi.IsDir() {
				f.Close()
				return nil, fmt.Errorf("%s: is a directory", path)
			}
			size = fi.Size()
		}
		src, close = f, f.Close
	}
	counter := &countingReader{r: src}
	br := bufio.NewReaderSize(counter, 256<<10)
	in := &Input{Name: path, Size: size, BytesRead: counter.n.Load, Reader: br, close: close}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		zr.Multistream(true)
		bomb := &bombGuard{r: zr, file: path, lim: lim, in: counter.n.Load}
		in.Reader = bufio.NewReaderSize(bomb, 256<<10)
		in.close = func() error { zr.Close(); return close() }
	}
	return []*Input{in}, nil
}

// openZip opens every file of a zip archive, each as an input named
// archive.zip:member. The archive closes with its last member.
func openZip(path string, lim Limits) ([]*Input, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var files []*zip.File
	for _, f := range zr.File {
		if !f.FileInfo().IsDir() {
			files = append(files, f)
		}
	}
	switch {
	case len(files) == 0:
		zr.Close()
		return nil, fmt.Errorf("%s: the archive holds no file", path)
	case len(files) > lim.MaxMembers:
		zr.Close()
		return nil, &ingest.LimitError{File: path, What: fmt.Sprintf("the number of files in the archive (%d)", len(files)),
			Limit: int64(lim.MaxMembers), Unit: "files", Flag: "--max-members"}
	}
	var (
		mu   sync.Mutex
		open = len(files)
	)
	release := func() error {
		mu.Lock()
		defer mu.Unlock()
		if open--; open == 0 {
			return zr.Close()
		}
		return nil
	}
	ins := make([]*Input, 0, len(files))
	for _, f := range files {
		name := path + ":" + f.Name
		lazy := &lazyMember{f: f, name: name, lim: lim}
		ins = append(ins, &Input{
			Name: name, Size: int64(f.UncompressedSize64),
			BytesRead: func() int64 { return lazy.read() }, Reader: lazy,
			close: func() error { lazy.close(); return release() },
		})
	}
	return ins, nil
}

// lazyMember opens a zip member on its first read, so that listing a large
// archive holds no decompressor per member.
type lazyMember struct {
	f    *zip.File
	name string
	lim  Limits
	rc   io.ReadCloser
	r    *bombGuard
	err  error
	// out counts the bytes decompressed so far, for the progress display,
	// which reads it from another goroutine.
	out atomic.Int64
}

func (m *lazyMember) Read(p []byte) (int, error) {
	if m.r == nil && m.err == nil {
		rc, err := m.f.Open()
		if err != nil {
			m.err = fmt.Errorf("%s: %w", m.name, err)
			return 0, m.err
		}
		// The ratio is against the member's compressed size as its
		// header gives it; the size limit holds whatever the header says.
		comp := int64(m.f.CompressedSize64)
		m.rc, m.r = rc, &bombGuard{r: rc, file: m.name, lim: m.lim, in: func() int64 { return comp }}
	}
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.r.Read(p)
	m.out.Add(int64(n))
	return n, err
}

// read is how many bytes the member has decompressed to so far.
func (m *lazyMember) read() int64 { return m.out.Load() }

func (m *lazyMember) close() {
	if m.rc != nil {
		m.rc.Close()
	}
}

// bombGuard fails a decompressed stream that grows past the limits: a
// 2 MB .gz can expand to gigabytes.
type bombGuard struct {
	r    io.Reader
	file string
	lim  Limits
	in   func() int64 // compressed bytes read so far
	out  int64
	err  error
}

func (b *bombGuard) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	b.out += int64(n)
	switch {
	case b.out > b.lim.MaxSize:
		b.err = &ingest.LimitError{File: b.file, What: "the decompressed size", Limit: b.lim.MaxSize, Flag: "--max-size"}
	case b.out > ratioFloor && b.out > b.lim.MaxRatio*max(b.in(), 1):
		b.err = &ingest.LimitError{File: b.file, What: "the decompressed size over the compressed (a decompression bomb?)",
			Limit: b.lim.MaxRatio, Unit: "times", Flag: "--max-ratio"}
	}
	if b.err != nil {
		return 0, b.err
	}
	return n, err
}

// ctxReader ends a read when ctx is done, even one that waits for input
// that never comes (a terminal, a pipe): the read goes on in a goroutine,
// abandoned, and the process exits.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

type readResult struct {
	n   int
	err error
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	buf := make([]byte, len(p))
	done := make(chan readResult, 1)
	go func() {
		n, err := c.r.Read(buf)
		done <- readResult{n, err}
	}()
	select {
	case res := <-done:
		copy(p, buf[:res.n])
		return res.n, res.err
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	}
}
