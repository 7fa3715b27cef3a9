package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of an input Decode reads ahead to judge its
// encoding: enough for thousands of rows, little memory.
const sniffSize = 1 << 20

// refuseBadLines is how many lines with bytes that are not UTF-8 the first
// sniffSize bytes may hold before Decode refuses the file as being in
// another encoding. Fewer are bad rows, rejected one by one.
const refuseBadLines = 3

// CheckEncoding returns an error unless enc is an encoding Decode knows.
func CheckEncoding(enc string) error {
	if _, err := htmlindex.Get(enc); err != nil {
		return fmt.Errorf("unknown encoding %q (give a label such as windows-1252, iso-8859-1, windows-1251, koi8-r, utf-16le)", enc)
	}
	return nil
}

// Decode returns the text of r as UTF-8. enc names the file's encoding
// (any WHATWG label: windows-1252, iso-8859-1, windows-1251, koi8-r,
// utf-16le, ...); "" means UTF-8, or UTF-16 when the text starts with its
// byte order mark, the one detection that is certain. A UTF-8 byte order
// mark is dropped. Without enc, a file whose header or whose first
// megabyte has bytes that are not UTF-8 on several lines is refused, naming
// the line of the first one; bytes that are not UTF-8 further on are left
// for the parser to reject row by row. note says what was decided, for the
// summary ("" for plain UTF-8).
func Decode(r io.Reader, file, enc string) (_ io.Reader, note string, _ error) {
	br := bufio.NewReaderSize(r, sniffSize)
	if enc != "" {
		e, err := htmlindex.Get(enc)
		if err != nil {
			return nil, "", fmt.Errorf("%s: unknown encoding %q (give a label such as windows-1252, iso-8859-1, windows-1251, koi8-r, utf-16le)", file, enc)
		}
		name, _ := htmlindex.Name(e)
		if name == "utf-8" {
			return Decode(br, file, "")
		}
		return transform.NewReader(br, unicode.BOMOverride(e.NewDecoder())), "decoded from " + name + " (--encoding)", nil
	}
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", fmt.Errorf("%s: %w", file, err)
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3) //nolint:errcheck // peeked
		return br, "", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), "UTF-16LE, detected from its byte order mark", nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), "UTF-16BE, detected from its byte order mark", nil
	}
	if err == bufio.ErrBufferFull {
		head = trimPartialRune(head)
	}
	if line, b, ok := notUTF8(head); ok {
		return nil, "", FormatError(file, line, fmt.Sprintf(
			"not UTF-8 (byte 0x%02x here, and on other lines); give the file's encoding, e.g. --encoding windows-1252", b))
	}
	return br, "", nil
}

// notUTF8 finds the first line with a byte that is not UTF-8, and says
// whether the text looks like another encoding: that line is the header, or
// refuseBadLines lines are bad.
func notUTF8(b []byte) (firstLine int, firstByte byte, refuse bool) {
	line, bad, lastBad := 1, 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				line++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			if bad == 0 {
				firstLine, firstByte = line, c
			}
			if lastBad != line {
				bad++
				lastBad = line
			}
		}
		i += max(size, 1)
	}
	return firstLine, firstByte, bad > 0 && (firstLine == 1 || bad >= refuseBadLines)
}

// trimPartialRune drops a multi-byte sequence cut off by the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// missing lists the tokens that mean "no value" in the files truce reads
// (R's NA, spreadsheets' N/A, databases' NULL, pandas' None), compared
// without regard to case.
var missing = [...]string{"na", "n/a", "null", "none"}

// IsMissing reports whether a field's value is one of the missing-value
// tokens: NA, N/A, NULL, None (any case), or empty.
func IsMissing(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) > 4 {
		return false
	}
	for _, m := range missing {
		if strings.EqualFold(s, m) {
			return true
		}
	}
	return s == ""
}

// CleanFields prepares the fields of one row: a missing-value token becomes
// empty, and a field that is not UTF-8 or holds a NUL byte makes the row
// bad, naming the field. header names the fields.
func CleanFields(file string, line int, header, fields []string) *RowError {
	for i, f := range fields {
		if f == "" {
			continue
		}
		if len(f) <= 6 && IsMissing(f) {
			fields[i] = ""
			continue
		}
		name := ""
		if i < len(header) {
			name = header[i]
		}
		if !utf8.ValidString(f) {
			return &RowError{File: file, Line: line, Field: name, Reason: "not UTF-8 (give the file's encoding with --encoding)", Value: f}
		}
		if strings.IndexByte(f, 0) >= 0 {
			return &RowError{File: file, Line: line, Field: name, Reason: "holds a NUL byte", Value: f}
		}
	}
	return nil
}
