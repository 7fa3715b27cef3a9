package ingesttest

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"testing"
)

// ReplayACLED writes n rows replayed from the real ACLED Ukraine sample
// with fresh ids to path: a file big enough to stop an import half-way.
func ReplayACLED(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Open(File(tb, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := csv.NewWriter(bufio.NewWriter(out))
	w.Write(rows[0])
	for i := range n {
		r := append([]string(nil), rows[1+i%(len(rows)-1)]...)
		r[0] = fmt.Sprintf("%s-r%d", r[0], i)
		w.Write(r)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
}
