package ingesttest

import (
	"strings"
	"unicode/utf16"
)

// Seeds returns fuzz seeds written here for every odd or hostile shape of
// a CSV format's files (issues 10 and 18): the date layouts, the
// missing-value tokens, encodings (Windows-1252 bytes, NUL, byte order
// marks, UTF-16), truncated records and duplicate header names. header is
// the format's header line, row one good data row in which {date} and
// {text} stand for a date field and a free-text field.
func Seeds(header, row string) [][]byte {
	fill := func(date, text string) string {
		return strings.NewReplacer("{date}", date, "{text}", text).Replace(row)
	}
	good := fill("2025-03-18", "x")
	var out []string
	for _, d := range []string{
		"2025-03-18", "2025-03-18 19:00", "2025-03-18T19:00:00", "16 May 2025", "9-May-20", "28-December-2022",
		"14/08/2020", "14/08/2020 00:00:00", "8/14/2020 2:30 PM", "03/04/2020", "03/04/20 12:00 AM", "31/02/2020",
	} {
		out = append(out, header+"\n"+fill(d, "x")+"\n"+fill("03/04/2020", "y")+"\n")
	}
	for _, na := range []string{"NA", "N/A", "NULL", "None", "", "null"} {
		out = append(out, header+"\n"+fill(na, na)+"\n")
	}
	out = append(out,
		header+"\n"+fill("2025-03-18", "caf\xe9")+"\n",                // Windows-1252
		header+"\n"+fill("2025-03-18", "a\x00b")+"\n",                 // NUL
		"\uFEFF"+header+"\n"+good+"\n",                                // UTF-8 byte order mark
		header+"\n"+good+"\n"+fill("2025-03-18", "\"cut"),             // end of file inside quotes
		header+"\n"+good+"\n"+good[:len(good)/2],                      // last line cut short
		header+","+strings.SplitN(header, ",", 2)[0]+"\n"+good+",x\n", // a column named twice
	)
	seeds := make([][]byte, 0, len(out)+1)
	for _, s := range out {
		seeds = append(seeds, []byte(s))
	}
	// UTF-16LE with its byte order mark, as a spreadsheet saves it.
	u := utf16.Encode([]rune(header + "\n" + good + "\n"))
	b := []byte{0xFF, 0xFE}
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return append(seeds, b)
}
