package strictyaml

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml/parser"

	"github.com/truce-monitor/truce/internal/strictyaml/yamltest"
)

type doc struct {
	Name  string            `yaml:"name"`
	Count int               `yaml:"count"`
	Tags  []string          `yaml:"tags"`
	Sub   *sub              `yaml:"sub"`
	Any   any               `yaml:"any"`
	Map   map[string]string `yaml:"map"`
}

type sub struct {
	When string `yaml:"when"`
}

func decodeDoc(src string, opt Options) (*doc, error) {
	var d doc
	_, err := DecodeWith("f.yaml", []byte(src), &d, opt)
	return &d, err
}

// mustProblem checks that decoding fails with one problem whose printed
// form starts with want (FILE:LINE:COL:) and contains msg.
func mustProblem(t *testing.T, err error, want, msg string) {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("want a problem %s ... %s, got error %v", want, msg, err)
	}
	for _, p := range ps {
		if strings.HasPrefix(p.String(), want) && strings.Contains(p.String(), msg) {
			return
		}
	}
	t.Fatalf("want a problem %q ... %q, got:\n%v", want, msg, ps)
}

func opts() Options { return Options{Limits: DefaultLimits()} }

// Every hostile document is refused with its position and the limit, fast.
func TestHostileDocuments(t *testing.T) {
	manyAliases := "name: &a x\ntags: [" + strings.TrimSuffix(strings.Repeat("*a, ", 1001), ", ") + "]\n"
	cases := []struct {
		name, src, want, msg string
	}{
		{"alias bomb", "any: " + yamltest.Laughs(9, 10) + "\n", "f.yaml:1:", "expands the document to more than 250000 values (limit values=250000)"},
		{"too many aliases", manyAliases, "f.yaml:2:", "more than 1000 aliases (limit aliases=1000)"},
		{"flow nesting", "any: " + yamltest.FlowNested(40) + "\n", "f.yaml:1:38:", "nesting is deeper than 32 levels (limit depth=32)"},
		{"brackets over the token limit", "any: " + yamltest.FlowNested(400_000) + "\n", "f.yaml:1:250006:", "more than 250000 YAML tokens (limit tokens=250000)"},
		{"block list over the token limit", "any:\n" + strings.Repeat("- 1\n", 130_000), "f.yaml:", "more than 250000 YAML tokens"},
		{"block nesting", "any:\n" + yamltest.BlockNested(1, 40), "f.yaml:33:34:", "nesting is deeper than 32 levels"},
		{"alias nesting", "name: &d " + yamltest.FlowNested(30) + "\nany: [[[[*d]]]]\n", "f.yaml:2:10:", "alias *d nests deeper than 32 levels"},
		{"tokens", "any: " + yamltest.Numbers(130_000) + "\n", "f.yaml:1:", "more than 250000 YAML tokens (limit tokens=250000)"},
		{"file size", "name: " + yamltest.Text(2<<20) + "\n", "f.yaml:1:1048577:", "file is larger than the limit of 1 MiB (limit bytes=1048576)"},
		{"long value", "name: " + yamltest.Text(70_000) + "\n", "f.yaml:1:7:", "a value of 70000 bytes is longer than the limit of 65536 (limit string=65536)"},
		{"long block value", "name: |\n  " + yamltest.Text(70_000) + "\n", "f.yaml:1:7:", "longer than the limit of 65536"},
		{"long key", "map:\n  " + yamltest.Text(70_000) + ": x\n", "f.yaml:2:3:", "a key of 70000 bytes is longer than the limit"},
		{"self alias", "any: &a [1, *a]\n", "f.yaml:1:", "alias *a is inside the value it names"},
		{"merge key", "sub:\n  <<: {when: x}\n", "f.yaml:2:3:", "merge keys (<<) are not supported"},
		{"complex key", "map:\n  ? [a, b]\n  : c\n", "f.yaml:3:3:", "invalid key"},
		{"list as key", "map: {[a]: b}\n", "f.yaml:1:", "key"},
		{"tag on the wrong value", "count: !!bool 5\n", "f.yaml:1:8:", "tag !!bool does not match the number 5"},
		{"tag on a list", "tags: !!int [a]\n", "f.yaml:1:12:", ""},
		{"tag without value", "tags: !x\n", "f.yaml:1:7:", "tag !x is not supported"},
		{"text for a list", "tags: hello\n", "f.yaml:1:7:", `tags: expected a list, got the text "hello"`},
		{"list for text", "name: [2025]\n", "f.yaml:1:7:", "name: expected a text value, got a list"},
		{"number for a mapping", "sub: 5\n", "f.yaml:1:6:", "sub: expected a mapping of keys to values, got the number 5"},
		{"huge number", "count: 99999999999999999999999\n", "f.yaml:1:8:", "count: expected a whole number"},
		{"float for int", "count: 1.5\n", "f.yaml:1:8:", "count: expected a whole number, got the number 1.5"},
		{"escape sequence in text", "name: \"a\\e[2Jb\"\n", "f.yaml:1:7:", `name: contains the control character \x1b`},
		{"C1 control in a list", "tags: [\"\\u009b\"]\n", "f.yaml:1:8:", `tags[0]: contains the control character \u009b`},
		{"two documents", "name: a\n---\nname: b\n", "f.yaml:1:1:", "want exactly one YAML document, found 2"},
	}
	for _, tag := range yamltest.Tags {
		cases = append(cases,
			struct{ name, src, want, msg string }{"tag in list " + tag, "tags: [" + tag + " a]\n", "f.yaml:1:", ""},
			struct{ name, src, want, msg string }{"tag on text " + tag, "name: " + tag + " b\n", "f.yaml:1:", ""},
			struct{ name, src, want, msg string }{"tag alone " + tag, "sub: " + tag + "\n", "f.yaml:1:", ""})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := decodeDoc(c.src, opts())
			mustProblem(t, err, c.want, c.msg)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to refuse", d)
			}
		})
	}
}

// The field's own words, and the per-field maximum, replace the generic ones.
func TestExpectAndMaxLen(t *testing.T) {
	opt := Options{Limits: DefaultLimits(), MaxLen: map[string]int{"name": 10, "tags[]": 3, "map.*": 2},
		Expect: map[string]string{"sub.when": "a date-time like 2025-03-18T00:00"}}
	_, err := decodeDoc("sub:\n  when: [2025]\n", opt)
	mustProblem(t, err, "f.yaml:2:9:", "sub.when: expected a date-time like 2025-03-18T00:00, got a list")
	_, err = decodeDoc("name: abcdefghijk\n", opt)
	mustProblem(t, err, "f.yaml:1:7:", "name: 11 characters, more than the 10 allowed")
	_, err = decodeDoc("tags: [ab, abcd]\n", opt)
	mustProblem(t, err, "f.yaml:1:12:", "tags[1]: 4 characters, more than the 3 allowed")
	_, err = decodeDoc("map: {k: abc}\n", opt)
	mustProblem(t, err, "f.yaml:1:10:", "map.k: 3 characters, more than the 2 allowed")
	if _, err := decodeDoc("name: abcdefghij\ntags: [abc]\nmap: {k: ab}\n", opt); err != nil {
		t.Fatalf("values at their maximum refused: %v", err)
	}
}

// Anchors inside anchors decode to their values; the library alone gave null.
func TestNestedAnchors(t *testing.T) {
	d, err := decodeDoc("any: &ring [&p [30, 50], [31, 50], [31, 51], *p]\nname: &n x\ntags: [*n, *n]\nsub: &s {when: y}\nmap: {a: *n}\n", opts())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{[]any{uint64(30), uint64(50)}, []any{uint64(31), uint64(50)}, []any{uint64(31), uint64(51)}, []any{uint64(30), uint64(50)}}
	if !reflect.DeepEqual(d.Any, want) {
		t.Fatalf("any = %#v, want %#v", d.Any, want)
	}
	if d.Name != "x" || !reflect.DeepEqual(d.Tags, []string{"x", "x"}) || d.Sub.When != "y" || d.Map["a"] != "x" {
		t.Fatalf("decoded %+v", d)
	}
}

// Tabs and newlines are text, not terminal controls.
func TestTabsAndNewlinesAllowed(t *testing.T) {
	d, err := decodeDoc("name: \"a\\tb\\nc\"\n", opts())
	if err != nil || d.Name != "a\tb\nc" {
		t.Fatalf("got %q, %v", d.Name, err)
	}
}

// Allowed core tags change nothing.
func TestCoreTags(t *testing.T) {
	d, err := decodeDoc("name: !!str 12\ncount: !!int 3\ntags: !!seq [a]\nsub: !!map {when: x}\n", opts())
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "12" || d.Count != 3 || d.Tags[0] != "a" || d.Sub.When != "x" {
		t.Fatalf("decoded %+v", d)
	}
}

// A panic in the library becomes an error. The guard keeps unknown tags
// from reaching it; without the guard, `tags: !x` panics inside go-yaml.
func TestLibraryPanicIsAnError(t *testing.T) {
	f, err := parser.ParseBytes([]byte("tags: !x\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	var d doc
	err = nodeToValue(f.Docs[0].Body, &d)
	if err == nil || !strings.Contains(err.Error(), "YAML library failed") {
		t.Fatalf("want the library's panic as an error, got %v", err)
	}
}

// Terminal control characters from the file are escaped in messages.
func TestControlCharactersEscaped(t *testing.T) {
	_, err := decodeDoc("\"na\x1b[2Jme\": x\n", opts())
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want problems, got %v", err)
	}
	out := ps.Error()
	if strings.ContainsAny(out, "\x1b\r") || !strings.Contains(out, `\x1b[2J`) {
		t.Fatalf("control characters not escaped: %q", out)
	}
	p := Problem{File: "a\rb.yaml", Line: 1, Column: 1, Message: "bad \u009b value \xff"}
	if got, want := p.String(), `a\rb.yaml:1:1: bad \u009b value \xff`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestLimitsSet(t *testing.T) {
	l := DefaultLimits()
	for _, s := range []string{"bytes=4MiB", "aliases=0", "depth=8", "string=2KiB", "values=10", "tokens=100"} {
		if err := l.Set(s); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := l.Spec(), "bytes=4194304,tokens=100,depth=8,aliases=0,values=10,string=2048"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	for _, bad := range []string{"bytes", "nope=1", "depth=-1", "depth=x", "bytes=99999999MiB", "depth=1001"} {
		if err := l.Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	_, err := decodeDoc("name: &a x\ntags: [*a]\n", Options{Limits: l})
	mustProblem(t, err, "f.yaml:2:8:", "more than 0 aliases (limit aliases=0)")
}

// ReadFile stops one byte past the limit: a 50 MB file costs what 1 MiB does.
func TestReadFileRefusesLargeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("name: x\nsource: "); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	alloc := allocated(t, func() {
		_, err = ReadFile(path, DefaultLimits())
	})
	mustProblem(t, err, path+":2:", "file is larger than the limit of 1 MiB")
	if alloc > 16<<20 {
		t.Errorf("reading a 50 MB file allocated %d MB", alloc>>20)
	}
}

// allocated reports the bytes f allocates: an upper bound of the heap it
// can have held at its peak.
func allocated(t *testing.T, f func()) uint64 {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Memory stays bounded on the worst inputs: the bombs are refused before
// they are expanded, and the largest file the limits accept costs well under
// 500 MB. The costs are logged for the record (go test -v -run Memory).
func TestHostileMemory(t *testing.T) {
	atLimit := "any: " + yamltest.Numbers(124_000) + "\n" // just under the token limit
	cases := []struct {
		name  string
		src   string
		ok    bool
		bound uint64
	}{
		{"alias bomb 10^9", "any: " + yamltest.Laughs(9, 10) + "\n", false, 8 << 20},
		{"alias bomb 47 KB", bomb47KB(), false, 64 << 20},
		{"flow nesting 400k", "any: " + yamltest.FlowNested(400_000) + "\n", false, 8 << 20},
		{"flow tokens over the limit", "any: " + yamltest.Numbers(400_000) + "\n", false, 8 << 20},
		// The lexer returns a document's tokens at once: this costs what
		// the bytes limit allows.
		{"block tokens over the limit", "any:\n" + strings.Repeat("- 1\n", 260_000), false, 300 << 20},
		{"accepted at the token limit", atLimit, true, 250 << 20},
		{"accepted 1 MiB text", "name: |\n  " + yamltest.Text(60_000) + "\nany: [" + strings.Repeat("\""+yamltest.Text(60_000)+"\", ", 16) + "x]\n", true, 64 << 20},
	}
	for _, c := range cases {
		var err error
		alloc := allocated(t, func() { _, err = decodeDoc(c.src, opts()) })
		t.Logf("%-28s %7d KB of YAML: %4d MB allocated, error: %v", c.name, len(c.src)>>10, alloc>>20, firstLine(err))
		if (err == nil) != c.ok {
			t.Errorf("%s: accepted %v, want %v (%v)", c.name, err == nil, c.ok, err)
		}
		if alloc > c.bound {
			t.Errorf("%s: allocated %d MB, bound %d MB", c.name, alloc>>20, c.bound>>20)
		}
	}
}

// bomb47KB is the shape: a file of about 47 KB whose aliases would
// expand to billions of values.
func bomb47KB() string {
	var b strings.Builder
	b.WriteString("any:\n")
	for i := 0; b.Len() < 47<<10; i++ {
		fmt.Fprintf(&b, "  - %s\n", strings.ReplaceAll(yamltest.Laughs(9, 10), "l", fmt.Sprintf("a%d_", i)))
	}
	return b.String()
}

func firstLine(err error) string {
	if err == nil {
		return "none"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// Anything that panics below DecodeWith comes back as a problem; a value
// that is not a pointer makes reflect panic, standing in for a bug.
func TestDecodeBoundaryRecovers(t *testing.T) {
	_, err := DecodeWith("f.yaml", []byte("name: x\n"), doc{}, opts())
	mustProblem(t, err, "f.yaml:1:1:", "this YAML could not be read")
}

// A file of many problems reports the first ones and a count.
func TestProblemsCapped(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "k%d: x\n", i)
	}
	_, err := decodeDoc(b.String(), opts())
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != maxProblems {
		t.Fatalf("want %d problems, got %d", maxProblems, len(ps))
	}
	if got := ps[len(ps)-1].String(); got != "f.yaml:100:1: and 4901 more problems" {
		t.Fatalf("last problem %q", got)
	}
}
