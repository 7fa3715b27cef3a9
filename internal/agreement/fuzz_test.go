package agreement

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/strictyaml/yamltest"
)

// FuzzParse: whatever the bytes, Parse returns an agreement or Problems with
// positions, and never panics. The seeds are the minimal agreement, the
// hostile variants of it (tags, aliases, depth), and, when not fuzzing (the
// large files stall the fuzzer's minimisation), the bundled agreements.
func FuzzParse(f *testing.F) {
	minimal, err := os.ReadFile("testdata/minimal.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range yamltest.Seeds(string(minimal)) {
		f.Add(seed)
	}
	if !fuzzing() {
		more, _ := filepath.Glob("../../examples/agreements/*.yaml")
		if len(more) == 0 {
			f.Fatal("no bundled agreements in ../../examples/agreements")
		}
		for _, p := range more {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Parse("fuzz.yaml", data)
		if err == nil {
			if a == nil {
				t.Fatal("nil agreement without error")
			}
			if _, err := a.AllTerms(); err != nil {
				t.Fatalf("a valid agreement does not resolve: %v", err)
			}
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error is not Problems: %v", err)
		}
		for _, p := range ps {
			if p.Line < 1 || p.Column < 0 || p.Message == "" {
				t.Fatalf("problem without a position: %+v", p)
			}
			if s := p.String(); strings.Contains(s, "Go struct") || strings.Contains(s, "interface {}") || strings.ContainsAny(s, "\x1b\r\n") {
				t.Fatalf("message in Go's words or with control characters: %q", s)
			}
		}
	})
}

func fuzzing() bool {
	for _, a := range os.Args {
		if len(a) > 10 && a[:10] == "-test.fuzz" {
			return true
		}
	}
	return false
}

func BenchmarkParseMinimal(b *testing.B) {
	data, err := os.ReadFile("testdata/minimal.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Parse("m.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
