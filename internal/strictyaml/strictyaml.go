// Package strictyaml decodes YAML configuration files strictly: every
// unknown or duplicate key is reported at once with its line and column,
// and the position of every value is kept so that later validation can
// point at the offending text. The files may be hostile, so they are held to
// Limits before anything is decoded, and nothing in them can crash truce.
// Agreements, column mappings and agreement test files all use it.
package strictyaml

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Decode parses one YAML document into v (a pointer to a struct whose yaml
// tags name the keys) within the default limits. See DecodeWith.
func Decode(filename string, data []byte, v any) (*Positions, error) {
	return DecodeWith(filename, data, v, Options{Limits: DefaultLimits()})
}

// DecodeWith parses one YAML document into v. It fails with Problems,
// listing every unknown and duplicate key and every value of the wrong
// type, or the first limit exceeded, each with its position. On success it
// returns the positions of all values, for validation messages.
//
// The order is what keeps hostile input cheap: limits are checked on the
// tokens and on the tree before anything is decoded; the tree is checked
// against the Go type (so every unknown key is reported at once, and type
// errors are worded in the file's terms); only then is it decoded.
func DecodeWith(filename string, data []byte, v any, opt Options) (_ *Positions, err error) {
	// The decode boundary: whatever fails below on hostile input, the
	// caller gets a problem with a position, never a crash.
	defer func() {
		if r := recover(); r != nil {
			err = Problems{{File: filename, Line: 1, Column: 1, Message: fmt.Sprintf("this YAML could not be read (%v)", r)}}
		}
	}()
	file, ps := parseLimited(filename, data, opt.Limits)
	if ps != nil {
		return nil, ps
	}
	if len(file.Docs) != 1 || file.Docs[0].Body == nil {
		return nil, Problems{{File: filename, Line: 1, Column: 1, Message: fmt.Sprintf("want exactly one YAML document, found %d", nonEmptyDocs(file))}}
	}
	e := newExpander(filename, opt.Limits)
	body, _, _ := e.expand(file.Docs[0].Body, 0)
	if e.err != nil {
		return nil, Problems{*e.err}
	}
	idx := &Positions{file: filename, at: map[string]token.Position{}}
	var problems Problems
	sh := shape{idx: idx, out: &problems, maxLen: opt.MaxLen, expect: opt.Expect, defLen: opt.Limits.String}
	sh.check(body, reflect.TypeOf(v).Elem(), "", "")
	if len(problems) > 0 {
		SortProblems(problems)
		return nil, CapProblems(problems)
	}
	if err := nodeToValue(body, v); err != nil {
		p := yamlProblem(filename, err)
		if p.Line == 1 && p.Column == 1 { // unpositioned: say where the document starts
			p = atNode(filename, body, "%s", p.Message)
		}
		return nil, Problems{p}
	}
	return idx, nil
}

// nodeToValue decodes, turning a panic in the library into an error.
func nodeToValue(body ast.Node, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("this YAML could not be decoded (the YAML library failed: %v)", r)
		}
	}()
	return yaml.NodeToValue(body, v)
}

// maxProblems bounds what one file can print: a hostile file of 100,000
// unknown keys gets the first ones and a count.
const maxProblems = 100

// CapProblems keeps the first problems of many and a count of the rest.
func CapProblems(ps Problems) Problems {
	if len(ps) <= maxProblems {
		return ps
	}
	first := ps[maxProblems-1] // the first not printed
	more := Problem{File: first.File, Line: first.Line, Column: first.Column, Message: fmt.Sprintf("and %d more problems", len(ps)-maxProblems+1)}
	return append(ps[:maxProblems-1:maxProblems-1], more)
}

func nonEmptyDocs(f *ast.File) int {
	n := 0
	for _, d := range f.Docs {
		if d.Body != nil {
			n++
		}
	}
	return n
}

// SortProblems orders problems by position.
func SortProblems(ps Problems) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Column < ps[j].Column
	})
}

// yamlProblem turns a go-yaml error into a positioned problem, in the
// file's terms: the library's messages about Go types are reworded.
func yamlProblem(filename string, err error) Problem {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return Problem{File: filename, Line: pos.Line, Column: pos.Column, Message: plainMessage(ye.GetMessage())}
	}
	return Problem{File: filename, Line: 1, Column: 1, Message: plainMessage(err.Error())}
}

var goTypeRe = regexp.MustCompile(`cannot unmarshal (\S+) into Go (?:struct field (\S+) of type|value of type) (\S+)`)

// plainMessage rewords "cannot unmarshal []interface {} into Go struct
// field Agreement.Window of type string", which names Go's types and the
// wrong field, as "a list where a text value is expected".
func plainMessage(msg string) string {
	m := goTypeRe.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	return fmt.Sprintf("expected %s, got %s", goTypeWords(m[3]), goTypeWords(m[1]))
}

func goTypeWords(t string) string {
	t = strings.TrimLeft(t, "*")
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping of keys to values"
	case t == "string":
		return "a text value"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "a whole number"
	case strings.HasPrefix(t, "float"):
		return "a number"
	}
	return "a different kind of value"
}

// Positions maps a field path ("commitments[1].bound[0]") to where its value
// is written, so validation can point at the offending text.
type Positions struct {
	file string
	at   map[string]token.Position
}

// problem builds a problem at path, falling back to the nearest written
// ancestor when path itself is absent (a missing required key is reported
// where its parent is).
func (p *Positions) Problem(path, format string, args ...any) Problem {
	pos, _ := p.Lookup(path)
	return Problem{File: p.file, Line: pos.Line, Column: pos.Column, Path: path, Message: fmt.Sprintf(format, args...)}
}

func (p *Positions) Lookup(path string) (token.Position, bool) {
	for q := path; ; {
		if pos, ok := p.at[q]; ok {
			return pos, q == path
		}
		if q == "" {
			return token.Position{Line: 1, Column: 1}, false
		}
		q = ParentPath(q)
	}
}

func ParentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

func JoinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func JoinIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// unwrap removes anchors and tags, which carry no shape of their own.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

// shape walks the YAML tree along the Go type, records the position of
// every value, and reports unknown and duplicate keys, values of the wrong
// kind and strings over their maximum length, in the file's own terms.
type shape struct {
	idx    *Positions
	out    *Problems
	maxLen map[string]int    // by pattern
	expect map[string]string // by pattern: what a value should look like
	defLen int
}

func (s *shape) add(n ast.Node, path, format string, args ...any) {
	pos := n.GetToken().Position
	*s.out = append(*s.out, Problem{File: s.idx.file, Line: pos.Line, Column: pos.Column, Path: path, Message: fmt.Sprintf(format, args...)})
}

// check visits n, the value at path, which should fit type t. pattern is
// path with indices written [] and map keys *, the key of MaxLen and Expect.
func (s *shape) check(n ast.Node, t reflect.Type, path, pattern string) {
	n = unwrap(n)
	if n == nil {
		return
	}
	s.idx.at[path] = *n.GetToken().Position
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if _, isNull := n.(*ast.NullNode); isNull {
		return
	}
	if !fits(n, t) {
		s.add(n, path, "%s: expected %s, got %s", pathName(path), s.expected(t, pattern), nodeKind(n))
		return
	}
	switch t.Kind() {
	case reflect.String:
		max := s.defLen
		if m, ok := s.maxLen[pattern]; ok {
			max = m
		}
		str := scalarText(n)
		if len(str) > max {
			s.add(n, path, "%s: %d characters, more than the %d allowed", pathName(path), len(str), max)
		} else if r, bad := controlChar(str); bad {
			s.add(n, path, "%s: contains the control character %s; write text without terminal controls", pathName(path), escape(string(r)))
		}
	case reflect.Struct:
		m := mappingValues(n)
		fields := yamlFields(t)
		seen := map[string]bool{}
		for _, mv := range m {
			key := keyString(mv.Key)
			keyPos := *mv.Key.GetToken().Position
			if seen[key] {
				s.add(mv.Key, JoinKey(path, key), "duplicate key %q", key)
				continue
			}
			seen[key] = true
			ft, ok := fields[key]
			if !ok {
				msg := fmt.Sprintf("unknown key %q %s", key, describePath(path))
				if c := closest(key, fields); c != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", c)
				}
				s.add(mv.Key, JoinKey(path, key), "%s", msg)
				continue
			}
			s.idx.at[JoinKey(path, key)+"#key"] = keyPos
			s.check(mv.Value, ft, JoinKey(path, key), JoinKey(pattern, key))
		}
	case reflect.Slice:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for i, v := range seq.Values {
				s.check(v, t.Elem(), JoinIndex(path, i), pattern+"[]")
			}
		}
	case reflect.Interface:
		// Free-form values (a polygon's coordinates): no shape to check,
		// but validation points at their parts.
		if seq, ok := n.(*ast.SequenceNode); ok {
			for i, v := range seq.Values {
				s.check(v, t, JoinIndex(path, i), pattern+"[]")
			}
		}
		for _, mv := range mappingValues(n) {
			key := keyString(mv.Key)
			s.check(mv.Value, t, JoinKey(path, key), JoinKey(pattern, "*"))
		}
	case reflect.Map:
		seen := map[string]bool{}
		for _, mv := range mappingValues(n) {
			key := keyString(mv.Key)
			if seen[key] {
				s.add(mv.Key, JoinKey(path, key), "duplicate key %q", key)
				continue
			}
			seen[key] = true
			s.idx.at[JoinKey(path, key)+"#key"] = *mv.Key.GetToken().Position
			s.check(mv.Value, t.Elem(), JoinKey(path, key), JoinKey(pattern, "*"))
		}
	}
}

// mappingValues lists the pairs of a mapping; a lone pair is a mapping of one.
func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

// fits reports whether a (non-null) node can decode into t without the
// library's own conversion errors.
func fits(n ast.Node, t reflect.Type) bool {
	_, isMap := n.(*ast.MappingNode)
	if _, ok := n.(*ast.MappingValueNode); ok {
		isMap = true
	}
	_, isSeq := n.(*ast.SequenceNode)
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return isMap
	case reflect.Slice:
		return isSeq
	case reflect.Interface:
		return true
	case reflect.String:
		return !isMap && !isSeq
	case reflect.Bool:
		_, ok := n.(*ast.BoolNode)
		return ok
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			return false
		}
		// Out-of-range numbers must fail here, in the file's terms.
		rv := reflect.New(t).Elem()
		switch x := i.Value.(type) {
		case int64:
			if rv.CanInt() {
				return !rv.OverflowInt(x)
			}
			return x >= 0 && !rv.OverflowUint(uint64(x))
		case uint64:
			if rv.CanUint() {
				return !rv.OverflowUint(x)
			}
			return x <= 1<<62 && !rv.OverflowInt(int64(x))
		}
		return false
	case reflect.Float32, reflect.Float64:
		switch n.(type) {
		case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
			return true
		}
		return false
	}
	return true
}

// expected describes what a value of type t looks like, in the format's
// words: the format's own description for the field when it gives one.
func (s *shape) expected(t reflect.Type, pattern string) string {
	if e, ok := s.expect[pattern]; ok {
		return e
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "a mapping of keys to values"
	case reflect.Slice:
		return "a list"
	case reflect.String:
		return "a text value"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a whole number"
}

func scalarText(n ast.Node) string {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		if v.Value != nil {
			return v.Value.Value
		}
	}
	if sc, ok := n.(ast.ScalarNode); ok {
		return fmt.Sprint(sc.GetValue())
	}
	return ""
}

func pathName(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}

func keyString(k ast.MapKeyNode) string {
	if s, ok := k.(ast.ScalarNode); ok {
		return fmt.Sprint(s.GetValue())
	}
	return k.String()
}

// nodeKind names what a node is, for messages; long text is shortened.
func nodeKind(n ast.Node) string {
	switch n.(type) {
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "the number " + shorten(n.GetToken().Value)
	case *ast.BoolNode:
		return "the value " + n.GetToken().Value
	case *ast.NullNode:
		return "nothing (null)"
	case *ast.AliasNode:
		return "an alias"
	case *ast.AnchorNode, *ast.TagNode:
		return "a tagged or anchored value"
	default:
		return fmt.Sprintf("the text %q", shorten(scalarText(n)))
	}
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

func describePath(path string) string {
	if path == "" {
		return "at the top level"
	}
	return "in " + path
}

// yamlFields maps the YAML keys of a struct type to their field types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if strings.Contains(opts, "inline") && f.Type.Kind() == reflect.Struct {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// closest suggests the known key nearest to an unknown one (edit distance at
// most 2, or one contains the other).
func closest(key string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	if len(key) > 64 { // no typo of a field name; and the distance is quadratic
		return ""
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d := editDistance(key, name)
		if d < bestD || (bestD > 2 && (strings.Contains(name, key) || strings.Contains(key, name))) {
			best, bestD = name, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
