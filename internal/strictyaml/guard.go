package strictyaml

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/scanner"
	"github.com/goccy/go-yaml/token"
)

// parseLimited lexes and parses data within lim. The lexer runs first, token
// by token, so that a file of too many tokens or too deep flow nesting
// ("[[[[...") is refused before the recursive parser sees it: 1 MB of
// brackets took the parser minutes and gigabytes. A panic in the library
// becomes a problem instead of a crash.
func parseLimited(filename string, data []byte, lim Limits) (file *ast.File, ps Problems) {
	if len(data) > lim.Bytes {
		return nil, Problems{tooLarge(filename, data, lim)}
	}
	if p, ok := flowTokensOver(filename, data, lim); ok {
		return nil, Problems{p}
	}
	var last *token.Token
	defer func() {
		if r := recover(); r != nil {
			file, ps = nil, Problems{libraryPanic(filename, last, r)}
		}
	}()
	var s scanner.Scanner
	s.Init(string(data))
	var tokens token.Tokens
	flow := 0
	for {
		sub, err := s.Scan()
		if err == io.EOF {
			break
		}
		for _, tk := range sub {
			last = tk
			switch tk.Type {
			case token.SequenceStartType, token.MappingStartType:
				flow++
				if flow > lim.Depth {
					return nil, Problems{atToken(filename, tk, "nesting is deeper than %d levels (limit depth=%d)", lim.Depth, lim.Depth)}
				}
			case token.SequenceEndType, token.MappingEndType:
				flow = max(flow-1, 0)
			}
		}
		tokens.Add(sub...)
		if len(tokens) > lim.Tokens {
			return nil, Problems{atToken(filename, last, "more than %d YAML tokens (limit tokens=%d)", lim.Tokens, lim.Tokens)}
		}
	}
	f, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, Problems{yamlProblem(filename, err)}
	}
	return f, nil
}

// flowTokensOver refuses, before lexing, a file whose brackets and commas
// alone make more tokens than the limit. The lexer returns a flow
// collection's tokens all at once, so 1 MB of "[1,1,1,..." or "[[[[..." on
// one line would cost 250 MB before the token count below could stop it.
// Each bracket is a token and each comma a token followed by a value, so
// the count never exceeds the real number of tokens of flow content; only
// quoted text full of commas could be refused wrongly, and would need a
// comma every eight bytes of a full-size file.
func flowTokensOver(filename string, data []byte, lim Limits) (Problem, bool) {
	n := 0
	for i, c := range data {
		switch c {
		case '[', ']', '{', '}':
			n++
		case ',':
			n += 2
		default:
			continue
		}
		if n > lim.Tokens {
			head := data[:i]
			line := bytes.Count(head, []byte("\n")) + 1
			col := utf8.RuneCount(head[bytes.LastIndexByte(head, '\n')+1:]) + 1
			return Problem{File: filename, Line: line, Column: col,
				Message: fmt.Sprintf("more than %d YAML tokens (limit tokens=%d)", lim.Tokens, lim.Tokens)}, true
		}
	}
	return Problem{}, false
}

func atToken(filename string, tk *token.Token, format string, args ...any) Problem {
	p := Problem{File: filename, Line: 1, Column: 1, Message: fmt.Sprintf(format, args...)}
	if tk != nil && tk.Position != nil {
		p.Line, p.Column = tk.Position.Line, tk.Position.Column
	}
	return p
}

func atNode(filename string, n ast.Node, format string, args ...any) Problem {
	var tk *token.Token
	if n != nil {
		tk = n.GetToken()
	}
	return atToken(filename, tk, format, args...)
}

// libraryPanic reports a panic inside the YAML library at the last position
// known before it.
func libraryPanic(filename string, last *token.Token, r any) Problem {
	return atToken(filename, last, "this YAML could not be read (the YAML library failed near here: %v)", r)
}

// expander replaces every alias by the value its anchor names and drops
// anchors and the few tags allowed, counting as it goes, so that the tree
// handed to the decoder is plain and its expanded size is known before it is
// decoded. Expanding ourselves also fixes anchors nested inside anchors,
// which the library decodes as null.
type expander struct {
	file    string
	lim     Limits
	anchors map[string]*anchor
	aliases int
	values  int
	err     *Problem
}

type anchor struct {
	node   ast.Node
	size   int // values in the expanded subtree
	height int // levels of nesting in it
	open   bool
}

func newExpander(filename string, lim Limits) *expander {
	return &expander{file: filename, lim: lim, anchors: map[string]*anchor{}}
}

func (e *expander) fail(n ast.Node, format string, args ...any) {
	if e.err == nil {
		p := atNode(e.file, n, format, args...)
		e.err = &p
	}
}

// expand returns the plain node for n at nesting depth (n's own level), the
// number of values under it and its height. After the first failure it
// stops walking; e.err holds the problem.
func (e *expander) expand(n ast.Node, depth int) (ast.Node, int, int) {
	if n == nil || e.err != nil {
		return n, 0, 0
	}
	e.values++
	if e.values > e.lim.Values {
		e.fail(n, "more than %d values (limit values=%d)", e.lim.Values, e.lim.Values)
		return n, 0, 0
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		e.values-- // the anchor is a label, not a value
		name := v.Name.GetToken().Value
		a := &anchor{open: true}
		e.anchors[name] = a
		a.node, a.size, a.height = e.expand(v.Value, depth)
		a.open = false
		if a.node == nil {
			a.node = ast.Null(v.GetToken())
		}
		return a.node, a.size, a.height
	case *ast.AliasNode:
		name := v.Value.GetToken().Value
		a, ok := e.anchors[name]
		switch {
		case !ok:
			e.fail(n, "alias *%s names no anchor (&%s) before it", name, name)
			return n, 0, 0
		case a.open:
			e.fail(n, "alias *%s is inside the value it names", name)
			return n, 0, 0
		}
		e.aliases++
		if e.aliases > e.lim.Aliases {
			e.fail(n, "more than %d aliases (limit aliases=%d)", e.lim.Aliases, e.lim.Aliases)
			return n, 0, 0
		}
		e.values += a.size - 1
		if e.values > e.lim.Values {
			e.fail(n, "alias *%s expands the document to more than %d values (limit values=%d)", name, e.lim.Values, e.lim.Values)
			return n, 0, 0
		}
		if depth+a.height > e.lim.Depth {
			e.fail(n, "alias *%s nests deeper than %d levels (limit depth=%d)", name, e.lim.Depth, e.lim.Depth)
			return n, 0, 0
		}
		return a.node, a.size, a.height
	case *ast.TagNode:
		e.values--
		if !e.tagFits(v) {
			return n, 0, 0
		}
		return e.expand(v.Value, depth)
	case *ast.MappingNode:
		if depth+1 > e.lim.Depth {
			e.fail(n, "nesting is deeper than %d levels (limit depth=%d)", e.lim.Depth, e.lim.Depth)
			return n, 0, 0
		}
		size, height := 1, 1
		for _, mv := range v.Values {
			if !e.keyFits(mv) {
				return n, 0, 0
			}
			val, s, h := e.expand(mv.Value, depth+1)
			mv.Value = val
			size += s + 1
			height = max(height, h+1)
		}
		return v, size, height
	case *ast.MappingValueNode:
		// A lone key: value pair; treat it as a mapping of one.
		if depth+1 > e.lim.Depth {
			e.fail(n, "nesting is deeper than %d levels (limit depth=%d)", e.lim.Depth, e.lim.Depth)
			return n, 0, 0
		}
		if !e.keyFits(v) {
			return n, 0, 0
		}
		val, s, h := e.expand(v.Value, depth+1)
		v.Value = val
		return v, s + 2, h + 1
	case *ast.SequenceNode:
		if depth+1 > e.lim.Depth {
			e.fail(n, "nesting is deeper than %d levels (limit depth=%d)", e.lim.Depth, e.lim.Depth)
			return n, 0, 0
		}
		size, height := 1, 1
		for i, item := range v.Values {
			val, s, h := e.expand(item, depth+1)
			v.Values[i] = val
			size += s
			height = max(height, h+1)
		}
		return v, size, height
	case *ast.MappingKeyNode:
		e.fail(n, "complex keys (? key) are not supported; write key: value")
		return n, 0, 0
	case *ast.StringNode:
		e.checkLen(n, v.Value)
	case *ast.LiteralNode:
		if v.Value != nil {
			e.checkLen(n, v.Value.Value)
		}
	}
	return n, 1, 0
}

func (e *expander) checkLen(n ast.Node, s string) {
	if len(s) > e.lim.String {
		e.fail(n, "a value of %d bytes is longer than the limit of %d (limit string=%d)", len(s), e.lim.String, e.lim.String)
	}
}

// keyFits accepts plain scalar keys only: an alias, anchor, tag or
// collection as a key has no use in truce's formats, and merge keys would
// bring in keys the strict check never sees.
func (e *expander) keyFits(mv *ast.MappingValueNode) bool {
	switch k := mv.Key.(type) {
	case *ast.MergeKeyNode:
		e.fail(k, "merge keys (<<) are not supported; write the keys out")
		return false
	case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NullNode:
		s := fmt.Sprint(k.(ast.ScalarNode).GetValue())
		if len(s) > e.lim.String {
			e.fail(k, "a key of %d bytes is longer than the limit of %d (limit string=%d)", len(s), e.lim.String, e.lim.String)
			return false
		}
		if r, bad := controlChar(s); bad {
			e.fail(k, "key %q contains the control character %s", shorten(s), escape(string(r)))
			return false
		}
		e.values++
		return true
	}
	e.fail(mv.Key, "a key must be a plain word, not %s", nodeKind(mv.Key))
	return false
}

// tagFits accepts the core-schema tags on values of their own kind, which
// change nothing, and refuses every other tag up front: unknown tags are
// where the library panics (`bound: !x`).
func (e *expander) tagFits(t *ast.TagNode) bool {
	tag := t.Start.Value
	if t.Value == nil || t.Directive != nil {
		e.fail(t, "tag %s is not supported: truce files use plain YAML values", escape(tag))
		return false
	}
	val := t.Value
	if a, ok := val.(*ast.AnchorNode); ok && a.Value != nil {
		val = a.Value
	}
	ok := false
	switch token.ReservedTagKeyword(tag) {
	case token.StringTag:
		_, ok = val.(ast.ScalarNode)
		_, null := val.(*ast.NullNode)
		ok = ok && !null
	case token.IntegerTag:
		_, ok = val.(*ast.IntegerNode)
	case token.FloatTag:
		switch val.(type) {
		case *ast.FloatNode, *ast.IntegerNode, *ast.InfinityNode, *ast.NanNode:
			ok = true
		}
	case token.BooleanTag:
		_, ok = val.(*ast.BoolNode)
	case token.NullTag:
		_, ok = val.(*ast.NullNode)
	case token.SequenceTag:
		_, ok = val.(*ast.SequenceNode)
	case token.MappingTag:
		switch val.(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			ok = true
		}
	default:
		e.fail(t, "tag %s is not supported: truce files use plain YAML values", escape(tag))
		return false
	}
	if !ok {
		e.fail(t, "tag %s does not match %s", escape(tag), nodeKind(val))
	}
	return ok
}
