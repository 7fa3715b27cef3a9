package strictyaml

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Limits bound what one YAML file may cost. Files come from parties to a
// conflict, so everything that grows with the input is refused before it is
// decoded: a 47 KB alias bomb or a 50 MB value must fail fast, in bounded
// memory, with the position where the limit was crossed.
type Limits struct {
	// Bytes is the largest file accepted.
	Bytes int
	// Tokens bounds the YAML tokens (scalars, keys, brackets, dashes): the
	// parser's memory grows with them (about 250 bytes each), not with bytes.
	Tokens int
	// Depth bounds the nesting of mappings and lists, aliases included.
	Depth int
	// Aliases bounds the number of aliases (*name) in a file.
	Aliases int
	// Values bounds the values of the document once every alias is
	// expanded: what decoding, validating and storing it will cost.
	Values int
	// String bounds the length in bytes of any one scalar or key; formats
	// set lower maxima for ids and names (Options.MaxLen).
	String int
}

// DefaultLimits are generous for hand-written agreements and mappings (the
// bundled ones are under 20 KB, depth 6, no aliases) and keep the worst file
// under about 150 MB of memory.
func DefaultLimits() Limits {
	return Limits{
		Bytes:   1 << 20,
		Tokens:  250_000,
		Depth:   32,
		Aliases: 1_000,
		Values:  250_000,
		String:  64 << 10,
	}
}

const maxDepth = 1000

// limitNames lists the settable limits, in the order help shows them.
var limitNames = []string{"bytes", "tokens", "depth", "aliases", "values", "string"}

func (l *Limits) field(name string) *int {
	switch name {
	case "bytes":
		return &l.Bytes
	case "tokens":
		return &l.Tokens
	case "depth":
		return &l.Depth
	case "aliases":
		return &l.Aliases
	case "values":
		return &l.Values
	case "string":
		return &l.String
	}
	return nil
}

// Set changes one limit from text such as "bytes=4MiB" or "aliases=0".
// Sizes take the suffixes KiB and MiB.
func (l *Limits) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	p := l.field(name)
	if !ok || p == nil {
		return fmt.Errorf("%q: want NAME=N with NAME one of %s", s, strings.Join(limitNames, ", "))
	}
	val = strings.TrimSpace(val)
	mult := 1
	for suffix, m := range map[string]int{"KiB": 1 << 10, "MiB": 1 << 20} {
		if v, cut := strings.CutSuffix(val, suffix); cut {
			val, mult = v, m
		}
	}
	n, err := strconv.Atoi(val)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return fmt.Errorf("%q: %s must be a whole number of 0 or more", s, name)
	}
	// The parser and decoder recurse once per level (the decoder gives up,
	// unpositioned, at 10,000).
	if name == "depth" && n > maxDepth {
		return fmt.Errorf("%q: depth may be at most %d", s, maxDepth)
	}
	*p = n * mult
	return nil
}

// Spec lists the limits as Set reads them.
func (l Limits) Spec() string {
	parts := make([]string, len(limitNames))
	for i, name := range limitNames {
		parts[i] = fmt.Sprintf("%s=%d", name, *l.field(name))
	}
	return strings.Join(parts, ",")
}

// Options adjust Decode for one format.
type Options struct {
	Limits Limits
	// MaxLen bounds the length of string values by field path, indices
	// written as [] ("parties[].id", "reading.commitments.*" for map values).
	// Fields not listed get Limits.String.
	MaxLen map[string]int
	// Expect says what a field's value looks like, by the same paths, for
	// messages about a value of the wrong kind ("a date-time like
	// 2025-03-18T00:00"); by default the kind is named ("a text value").
	Expect map[string]string
}

// ReadFile reads a YAML file, refusing one larger than lim.Bytes without
// reading more than one byte past the limit.
func ReadFile(path string, lim Limits) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(lim.Bytes)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > lim.Bytes {
		return nil, Problems{tooLarge(path, data, lim)}
	}
	return data, nil
}

// tooLarge reports a file over the size limit at the line and column where
// the limit is crossed.
func tooLarge(filename string, data []byte, lim Limits) Problem {
	head := data[:lim.Bytes]
	line := bytes.Count(head, []byte("\n")) + 1
	col := len(head) - bytes.LastIndexByte(head, '\n')
	return Problem{File: filename, Line: line, Column: col,
		Message: fmt.Sprintf("file is larger than the limit of %s (limit bytes=%d)", humanBytes(lim.Bytes), lim.Bytes)}
}

func humanBytes(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// LimitsHelp describes the limits and their defaults, for --help texts.
func LimitsHelp() string {
	d := DefaultLimits()
	doc := map[string]string{
		"bytes":   "file size",
		"tokens":  "YAML tokens (scalars, keys, brackets, dashes)",
		"depth":   "nesting of mappings and lists",
		"aliases": "aliases (*name)",
		"values":  "values once aliases are expanded",
		"string":  "bytes of any one value or key (ids and names have lower maxima)",
	}
	var b strings.Builder
	for _, n := range limitNames {
		fmt.Fprintf(&b, "  %-8s %-10d %s\n", n, *d.field(n), doc[n])
	}
	return b.String()
}
