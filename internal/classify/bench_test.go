package classify

import (
	"path/filepath"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
)

// corpus is every ACLED note of the 9,000-row sample and every MoD snippet:
// real English and Russian text in the proportions the pipeline sees.
func corpus(b *testing.B) (texts []string, size int64) {
	data := sharedData(b)
	for _, f := range []struct{ file, col string }{
		{"acled-sample-acledR/acled_sample_9000_2022H1.csv", "notes"},
		{"russian-mod-telegram-2023-2024/mod_russia_posts_2023_2024.csv", "text_snippet"},
	} {
		rows, err := readCSV(filepath.Join(data, filepath.FromSlash(f.file)))
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows {
			texts = append(texts, r[f.col])
			size += int64(len(r[f.col]))
		}
	}
	return texts, size
}

func BenchmarkClassify(b *testing.B) {
	texts, size := corpus(b)
	c := New()
	dst := make([]event.Reason, 0, 16)
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			dst = c.Classify("notes", t, dst[:0])
		}
	}
}

func BenchmarkScan(b *testing.B) {
	texts, size := corpus(b)
	c := New()
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			_ = c.m.Scan(t, nil)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		_ = New()
	}
}
