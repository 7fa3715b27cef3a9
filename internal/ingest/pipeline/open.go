package pipeline

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
)

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

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Open opens path for reading: "-" is stdin; a .gz file is gunzipped
// (recognised by its magic bytes, whatever its name); a .zip archive yields
// its first file, as GDELT publishes its exports.
func Open(path string, stdin io.Reader) (*Input, error) {
	var (
		src   io.Reader
		size  int64
		close = func() error { return nil }
	)
	if path == "-" {
		src = stdin
	} else {
		if strings.HasSuffix(strings.ToLower(path), ".zip") {
			return openZip(path)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		src, close = f, f.Close
	}
	counter := &countingReader{r: src}
	br := bufio.NewReaderSize(counter, 256<<10)
	in := &Input{Name: path, Size: size, BytesRead: func() int64 { return counter.n }, Reader: br, close: close}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		in.Reader = bufio.NewReaderSize(zr, 256<<10)
		in.close = func() error { zr.Close(); return close() }
	}
	return in, nil
}

func openZip(path string) (*Input, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			zr.Close()
			return nil, fmt.Errorf("%s: opening %s: %w", path, f.Name, err)
		}
		counter := &countingReader{r: rc}
		return &Input{
			Name: path + ":" + f.Name, Size: int64(f.UncompressedSize64),
			BytesRead: func() int64 { return counter.n }, Reader: bufio.NewReaderSize(counter, 256<<10),
			close: func() error { rc.Close(); return zr.Close() },
		}, nil
	}
	zr.Close()
	return nil, fmt.Errorf("%s: the archive holds no file", path)
}
