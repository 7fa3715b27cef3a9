package pipeline

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"

	"github.com/truce-monitor/truce/internal/ingest"
)

// RejectsFile is the CSV file `truce ingest --rejects FILE` writes every bad
// row of every input to.
type RejectsFile struct {
	path string
	f    *os.File
	w    *csv.Writer
}

// CreateRejectsFile creates path for writing, refusing one that exists:
// O_EXCL never follows a symbolic link planted there, nor overwrites what
// the user has.
func CreateRejectsFile(path string) (*RejectsFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("rejects file: %w (it must not exist yet)", err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "line", "field", "reason", "value", "raw"})
	return &RejectsFile{path: path, f: f, w: w}, nil
}

// Add writes one bad row.
func (r *RejectsFile) Add(re *ingest.RowError, raw []byte) error {
	r.w.Write([]string{re.File, strconv.Itoa(re.Line), re.Field, re.Reason, re.Value, string(raw)})
	if err := r.w.Error(); err != nil {
		return fmt.Errorf("rejects file %s: %w", r.path, err)
	}
	return nil
}

// Close flushes and closes the file.
func (r *RejectsFile) Close() error {
	r.w.Flush()
	err := r.w.Error()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("rejects file %s: %w", r.path, err)
	}
	return nil
}

// Path is the file's path.
func (r *RejectsFile) Path() string { return r.path }
