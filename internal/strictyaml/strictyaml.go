// Package strictyaml decodes YAML configuration files strictly: every
// unknown or duplicate key is reported at once with its line and column,
// and the position of every value is kept so that later validation can
// point at the offending text. Agreements and column mappings both use it.
package strictyaml

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Decode parses one YAML document into v (a pointer to a struct whose yaml
// tags name the keys). It fails with Problems, listing every unknown and
// duplicate key, or the first type error, each with its position. On
// success it returns the positions of all values, for validation messages.
//
// Checking the tree against the Go type before decoding is what lets every
// unknown key be reported at once: a strict decoder stops at the first.
func Decode(filename string, data []byte, v any) (*Positions, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Problems{yamlProblem(filename, err)}
	}
	if len(file.Docs) != 1 || file.Docs[0].Body == nil {
		return nil, Problems{{File: filename, Line: 1, Column: 1, Message: fmt.Sprintf("want exactly one YAML document, found %d", nonEmptyDocs(file))}}
	}
	body := file.Docs[0].Body
	idx := &Positions{file: filename, at: map[string]token.Position{}}
	var problems Problems
	checkShape(body, reflect.TypeOf(v).Elem(), "", idx, &problems)
	if len(problems) > 0 {
		return nil, problems
	}
	if err := yaml.NodeToValue(body, v); err != nil {
		return nil, Problems{yamlProblem(filename, err)}
	}
	return idx, nil
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

// yamlProblem turns a go-yaml error into a positioned problem.
func yamlProblem(filename string, err error) Problem {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return Problem{File: filename, Line: pos.Line, Column: pos.Column, Message: ye.GetMessage()}
	}
	return Problem{File: filename, Line: 1, Column: 1, Message: err.Error()}
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

// checkShape walks the YAML tree along the Go type t, records the position
// of every value, and reports unknown and duplicate keys.
func checkShape(n ast.Node, t reflect.Type, path string, idx *Positions, out *Problems) {
	n = unwrap(n)
	if n == nil {
		return
	}
	idx.at[path] = *n.GetToken().Position
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := n.(*ast.MappingNode)
		if !ok {
			if _, isNull := n.(*ast.NullNode); !isNull {
				*out = append(*out, idx.Problem(path, "expected a mapping %s, found %s", describePath(path), nodeKind(n)))
			}
			return
		}
		fields := yamlFields(t)
		seen := map[string]bool{}
		for _, mv := range m.Values {
			key := keyString(mv.Key)
			keyPos := *mv.Key.GetToken().Position
			if _, isMerge := mv.Key.(*ast.MergeKeyNode); isMerge {
				continue
			}
			if seen[key] {
				*out = append(*out, Problem{File: idx.file, Line: keyPos.Line, Column: keyPos.Column, Path: JoinKey(path, key), Message: fmt.Sprintf("duplicate key %q", key)})
				continue
			}
			seen[key] = true
			ft, ok := fields[key]
			if !ok {
				msg := fmt.Sprintf("unknown key %q %s", key, describePath(path))
				if s := closest(key, fields); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				*out = append(*out, Problem{File: idx.file, Line: keyPos.Line, Column: keyPos.Column, Path: JoinKey(path, key), Message: msg})
				continue
			}
			idx.at[JoinKey(path, key)+"#key"] = keyPos
			checkShape(mv.Value, ft, JoinKey(path, key), idx, out)
		}
	case reflect.Slice:
		if s, ok := n.(*ast.SequenceNode); ok {
			for i, v := range s.Values {
				checkShape(v, t.Elem(), JoinIndex(path, i), idx, out)
			}
		}
	case reflect.Map:
		if m, ok := n.(*ast.MappingNode); ok {
			seen := map[string]bool{}
			for _, mv := range m.Values {
				key := keyString(mv.Key)
				if seen[key] {
					pos := mv.Key.GetToken().Position
					*out = append(*out, Problem{File: idx.file, Line: pos.Line, Column: pos.Column, Path: JoinKey(path, key), Message: fmt.Sprintf("duplicate key %q", key)})
					continue
				}
				seen[key] = true
				idx.at[JoinKey(path, key)+"#key"] = *mv.Key.GetToken().Position
				checkShape(mv.Value, t.Elem(), JoinKey(path, key), idx, out)
			}
		}
	}
}

func keyString(k ast.MapKeyNode) string {
	if s, ok := k.(ast.ScalarNode); ok {
		return fmt.Sprint(s.GetValue())
	}
	return k.String()
}

func nodeKind(n ast.Node) string {
	switch n.(type) {
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode:
		return "a mapping"
	default:
		return fmt.Sprintf("the value %q", n.String())
	}
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
