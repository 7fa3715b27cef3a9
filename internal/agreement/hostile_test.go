package agreement

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/strictyaml/yamltest"
)

// withPolygon is minimal.yaml with a geography polygon whose coordinates
// are coords (a YAML flow or block value, indented for its place).
func withPolygon(t *testing.T, coords string) string {
	t.Helper()
	return readMinimal(t) + "    geography:\n      polygon:\n        type: Polygon\n        coordinates: " + coords + "\n"
}

func wantProblem(t *testing.T, err error, want, msg string) {
	t.Helper()
	if !strictyaml.HasProblem(err, want, msg) {
		t.Fatalf("want a problem %q ... %q, got:\n%v", want, msg, err)
	}
}

// The findings on agreement files, each refused with its position.
func TestHostileAgreements(t *testing.T) {
	base := readMinimal(t)
	edit := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("test is stale: %q not in minimal.yaml", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	cases := []struct {
		name, src, want, msg string
	}{
		// Panicked inside the YAML library (exit 2) in lint, import, show, check.
		{"unknown tag on bound", edit("bound: [RU, UA]", "bound: !x"), "t.yaml:28:12:", "tag !x is not supported"},
		{"unknown tag in a list", edit("bound: [RU, UA]", "bound: [!x RU]"), "t.yaml:28:", "tag !x is not supported"},
		// Was: "Go struct field Agreement.Window of type string".
		{"list for a date-time", edit("start: 2025-03-18T00:00", "start: [2025]"), "t.yaml:21:10:", "window.start: expected a date-time like 2025-03-18T00:00, got a list"},
		{"mapping for a list", edit("bound: [RU, UA]", "bound: {RU: 1}"), "t.yaml:28:12:", "commitments[0].bound: expected a list of party ids like [RU, UA], got a mapping"},
		{"text for a mapping", edit("  time_zone: Europe/Moscow\n  duration: 30d\n  source: s1\n", "  extension: yes please\n  time_zone: Europe/Moscow\n  duration: 30d\n  source: s1\n"), "t.yaml:22:14:", "window.extension: expected a mapping of keys to values, got the text"},
		// Was reported at 1:1.
		{"deep nesting", edit("title: Test truce\n", "title: Test truce\nsummary: "+yamltest.FlowNested(40)+"\n"), "t.yaml:5:42:", "nesting is deeper than 32 levels (limit depth=32)"},
		{"alias bomb in a polygon", withPolygon(t, yamltest.Laughs(9, 10)), "t.yaml:36:", "expands the document to more than 250000 values"},
		{"long id", edit("id: test-truce", "id: "+strings.Repeat("a", 65)), "t.yaml:2:5:", "id: 65 characters, more than the 64 allowed"},
		{"long party name", edit("name: Ukraine", "name: "+strings.Repeat("U", 201)), "t.yaml:12:11:", "parties[1].name: 201 characters, more than the 200 allowed"},
		{"long quote", edit("title: Test statement", "title: ok\n    quote: "+yamltest.Text(70_000)), "t.yaml:19:12:", "longer than the limit of 65536"},
		{"huge file", base + "summary: " + yamltest.Text(2<<20) + "\n", "t.yaml:33:", "file is larger than the limit of 1 MiB"},
		{"polygon not closed", withPolygon(t, "[[[30, 50], [31, 50], [31, 51], [30, 51]]]"), "t.yaml:36:54:", "polygon: ring 0 is not closed"},
		{"polygon out of range", withPolygon(t, "[[[30, 50], [181, 50], [31, 51], [30, 50]]]"), "t.yaml:36:34:", "outside longitude/latitude range"},
		{"polygon position of 4", withPolygon(t, "[[[30, 50, 1, 2], [31, 50], [31, 51], [30, 50, 1, 2]]]"), "t.yaml:36:24:", "a position is [longitude, latitude]"},
		{"polygon list for a number", withPolygon(t, "[[[[30], 50], [31, 50], [31, 51], [[30], 50]]]"), "t.yaml:36:24:", "coordinate [30] is not a number"},
		{"polygon NaN", withPolygon(t, "[[[.nan, 50], [31, 50], [31, 51], [.nan, 50]]]"), "t.yaml:36:24:", "outside longitude/latitude range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("t.yaml", []byte(c.src))
			wantProblem(t, err, c.want, c.msg)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to refuse", d)
			}
		})
	}
}

// A polygon written with anchors, even nested ones, decodes to its values:
// the library alone made the inner alias null and refused the polygon.
func TestPolygonWithNestedAnchors(t *testing.T) {
	src := withPolygon(t, "\n          - &ring\n            - &p [30, 50]\n            - [31, 50]\n            - [31, 51]\n            - *p")
	src += "    exceptions:\n      - id: e1\n        description: same area\n        source: s1\n        geography:\n          polygon: {type: Polygon, coordinates: [*ring]}\n"
	a, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("a valid polygon with anchors refused:\n%v", err)
	}
	ring := []any{[]any{uint64(30), uint64(50)}, []any{uint64(31), uint64(50)}, []any{uint64(31), uint64(51)}, []any{uint64(30), uint64(50)}}
	c := a.Commitments[0]
	if !reflect.DeepEqual(c.Geography.Polygon.Coordinates, []any{ring}) || !reflect.DeepEqual(c.Exceptions[0].Geography.Polygon.Coordinates, []any{ring}) {
		t.Fatalf("decoded %#v and %#v", c.Geography.Polygon.Coordinates, c.Exceptions[0].Geography.Polygon.Coordinates)
	}
}

// A geometry has at most maxPolygonPositions positions, aliases included.
func TestPolygonPositionsBounded(t *testing.T) {
	lim := strictyaml.DefaultLimits()
	lim.Aliases = 100_000
	ring := func(n int) string {
		return "[[&p [30, 50], " + strings.Repeat("[31, 50], ", n-2) + "*p]]"
	}
	if _, err := ParseWith("t.yaml", []byte(withPolygon(t, ring(20_000))), lim); err != nil {
		t.Fatalf("20,000 positions refused: %v", err)
	}
	lim.Tokens, lim.Values = 1_000_000, 1_000_000
	_, err := ParseWith("t.yaml", []byte(withPolygon(t, ring(maxPolygonPositions+1))), lim)
	wantProblem(t, err, "t.yaml:36:23:", fmt.Sprintf("more than %d positions in one geometry", maxPolygonPositions))
}

// The limits are the caller's: lowered, they refuse what the defaults allow.
func TestParseWithLimits(t *testing.T) {
	lim := strictyaml.DefaultLimits()
	lim.Depth = 3
	_, err := ParseWith("t.yaml", []byte(readMinimal(t)), lim)
	wantProblem(t, err, "t.yaml:10:12:", "nesting is deeper than 3 levels (limit depth=3)")
	lim = strictyaml.DefaultLimits()
	lim.Bytes = 100
	path := filepath.Join(t.TempDir(), "a.yaml")
	if err := os.WriteFile(path, []byte(readMinimal(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ParseFileWith(path, lim)
	wantProblem(t, err, path+":8:10:", "file is larger than the limit of 100 bytes (limit bytes=100)")
}

// Values echoed in messages cannot drive the terminal: text with control
// characters is refused, and whatever a message quotes is escaped.
func TestAgreementMessagesEscaped(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{strings.Replace(readMinimal(t), "status: in_force", "status: \"\\e]0;pwned\\a\\e[2J\"", 1),
			`t\x1b.yaml:5:9: status: contains the control character \x1b; write text without terminal controls`},
		{strings.Replace(readMinimal(t), "id: UA", "id: \"U\\u009bA\"", 1),
			`t\x1b.yaml:11:9: parties[1].id: contains the control character \u009b`},
		{withPolygonOn(readMinimal(t), "[[[\"\\e[31m\", 50], [31, 50], [31, 51], [30, 50]]]"),
			`t\x1b.yaml:36:24: polygon: ring 0 position 0: coordinate \x1b[31m is not a number`},
	} {
		_, err := Parse("t\x1b.yaml", []byte(c.src))
		var ps Problems
		if !errors.As(err, &ps) {
			t.Fatalf("want problems, got %v", err)
		}
		out := ps.Error()
		if strings.ContainsAny(out, "\x1b\a\u009b") || !strings.Contains(out, c.want) {
			t.Fatalf("got %q, want %q", out, c.want)
		}
	}
}

func withPolygonOn(src, coords string) string {
	return src + "    geography:\n      polygon:\n        type: Polygon\n        coordinates: " + coords + "\n"
}

// Validation of a file of many bad terms prints the first and a count.
func TestManyProblemsCapped(t *testing.T) {
	src := strings.Replace(readMinimal(t), "bound: [RU, UA]", "bound: ["+strings.TrimSuffix(strings.Repeat("XX, ", 500), ", ")+"]", 1)
	_, err := Parse("t.yaml", []byte(src))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 100 || !strings.HasSuffix(ps[99].Message, "and 401 more problems") {
		t.Fatalf("want 100 problems, the last counting 401 more; got %d: %v", len(ps), ps[len(ps)-1])
	}
}
