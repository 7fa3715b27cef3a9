// Package yamltest generates hostile YAML for the tests and fuzz seeds of
// every format truce reads (agreements, mappings, agreement tests): the
// files are made in the test, never committed.
package yamltest

import (
	"fmt"
	"strings"
)

// Laughs is a flow list whose anchors each repeat the one before width
// times: width^levels values written in a few hundred bytes (the "billion
// laughs"). Its innermost value is a [lon, lat] position, so it can stand
// where coordinates are expected.
func Laughs(levels, width int) string {
	var b strings.Builder
	b.WriteString("[&l0 [30.5, 50.4]")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, ", &l%d [", i)
		for j := 0; j < width; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]")
	}
	b.WriteString("]")
	return b.String()
}

// FlowNested is depth flow lists inside each other: [[[...]]].
func FlowNested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

// BlockNested is depth block mappings inside each other, indented from
// indent, each with the key k.
func BlockNested(indent, depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "%sk:\n", strings.Repeat(" ", indent+i))
	}
	fmt.Fprintf(&b, "%sk: v\n", strings.Repeat(" ", indent+depth))
	return b.String()
}

// Numbers is a flow list of n small numbers: the most tokens per byte.
func Numbers(n int) string {
	return "[" + strings.TrimSuffix(strings.Repeat("1,", n), ",") + "]"
}

// Text is a plain scalar of n bytes.
func Text(n int) string { return strings.Repeat("x", n) }

// Tags are tags a hostile file may put on a value; unknown ones made the
// library panic.
var Tags = []string{"!x", "!", "!!binary", "!!timestamp", "!!set", "!!omap", "!<tag:yaml.org,2002:str>", "!!python/object"}

// Seeds derives fuzz seeds from a valid document: an unknown tag on each
// value in turn (where the library panicked), an alias bomb, deep flow and
// block nesting, an alias of a nested anchor, and a few malformed files.
// They are small, so the fuzzer's minimisation stays quick.
func Seeds(valid string) [][]byte {
	out := [][]byte{[]byte(valid)}
	lines := strings.Split(valid, "\n")
	for i, l := range lines {
		k, _, ok := strings.Cut(l, ": ")
		if !ok || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		tagged := append([]string(nil), lines...)
		tagged[i] = k + ": !x"
		out = append(out, []byte(strings.Join(tagged, "\n")))
	}
	for _, tail := range []string{
		"zz: " + Laughs(9, 10),
		"zz: " + FlowNested(40),
		"zz:\n" + BlockNested(1, 40),
		"zz: &a [&b [1, 2], *b]\nzy: [*a, *a]",
		"zz: &a [*a]",
		"<<: {zz: 1}",
		"? [a]\n: b",
		"zz: !!binary aGVsbG8=",
		"zz: \"\x1b[2J\"",
	} {
		out = append(out, []byte(valid+"\n"+tail+"\n"))
	}
	return append(out, []byte(""), []byte("---\n---\n"), []byte("\xff\xfe\x00"), []byte("[[[[[["), []byte("a: 'b\n"))
}
