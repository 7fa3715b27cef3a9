// Package ac is a multi-pattern matcher for short dictionary phrases in
// English, Ukrainian and Russian text: an Aho–Corasick automaton compiled to a
// dense byte-level table, so a text is scanned once, left to right, one table
// step per byte, whatever the number of patterns.
//
// Folding is built into the table, never done by copying the text: Latin and
// Cyrillic letters fold case, ё folds to е, Latin i and Ukrainian і share a
// class (the two are mixed up on Ukrainian keyboards), every digit is one
// class, and every other rune is a separator. A run of separators counts as
// one, so "power  line", "power-line" and "power line" are the same three
// symbols.
//
// Every pattern starts at a word boundary (the automaton sees a separator
// before it) and, unless it ends in '$', may end inside a word: "подстанци"
// is a stem that matches подстанция, подстанции and подстанцию, while "tpp$"
// matches the whole word only. Apostrophes are separators, so Ukrainian
// об'єкт, об’єкт and обʼєкт all match the pattern "об'єкт".
//
// Alternations in braces are expanded at compile time:
// "лини{я|и|ю} электропередач" is three patterns with one id.
package ac

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Symbol classes: what the automaton is built over, one per rune.
const (
	clsSep     = iota // any rune that is not one of the below
	clsDigit          // 0-9
	clsOther          // other letters of the U+0400-U+047F block (ў, ђ, ...)
	clsLatin          // a..z: 26 classes
	clsCyr     = clsLatin + 26
	numClasses = clsCyr + 32 + 2 // а..я, then є, ї; ё folds to е, і to Latin i
)

// Byte classes: what the scanner reads, one per byte, so that no rune is
// decoded. An ordinary row is an automaton state: it has an entry for each
// class of a byte that can start a rune, and the state's id in its last
// column. The lead byte of a Cyrillic letter moves to an intermediate row,
// which only has entries for the 64 continuation bytes, and the letter
// completes there. Any other multi-byte rune is a separator: it acts on its
// lead byte, which always lands on a state entered by a separator, and the
// rows of those states alone have continuation entries too, looping on
// themselves, so that the rest of the rune changes nothing. Rows are stored
// so that entries no valid UTF-8 reads take no space (see Compile).
const (
	bcSep   = iota // ASCII non-alphanumerics, and bytes that start no rune
	bcDigit        // 0-9
	bcLatin        // A-Z, a-z: 26 classes
	bcLead0 = bcLatin + 26
	bcLead1 = bcLead0 + 1 // D0, D1: Cyrillic letters
	bcLead2 = bcLead1 + 1 // other two-byte runes
	bcLead3 = bcLead2 + 1 // three-byte runes
	bcLead4 = bcLead3 + 1 // four-byte runes
	colID   = bcLead4 + 1 // the state id, read only to report a match
	rowW    = colID + 1   // even, so that offsets leave bit 0 for the flag
	bcCont  = rowW        // 0x80..0xBF: 64 classes
)

// Hit is one occurrence of a pattern in a text: byte offsets of the matched
// words, without the surrounding separators.
type Hit struct {
	Pattern int // index of the pattern as given to Compile
	Start   int
	End     int
}

// Matcher is a compiled, immutable pattern set, safe for concurrent use.
type Matcher struct {
	// trans holds ordinary rows (one per state, breadth-first) then
	// intermediate rows. An entry is the offset of the next row, with bit 0
	// set when the step completes a match.
	trans   []uint32
	start   uint32    // row after the virtual separator before the text
	inter   uint32    // first offset past the ordinary rows
	outIdx  []uint32  // per state: start of its outputs in outs (len states+1)
	outs    []int32   // expanded-pattern ids
	expID   []int32   // expanded pattern -> caller's pattern index
	expSyms [][]uint8 // the matched words' symbols, to verify a hit
	expWord []bool    // pattern ends with a word boundary ('$')
	byteCls [256]uint8
	states  int
}

// Compile builds a matcher. Patterns use the syntax described in the package
// comment; an invalid pattern is reported with its index.
func Compile(patterns []string) (*Matcher, error) {
	m := &Matcher{}
	for b := 0; b < 256; b++ {
		var c int
		switch {
		case b >= 'a' && b <= 'z':
			c = bcLatin + b - 'a'
		case b >= 'A' && b <= 'Z':
			c = bcLatin + b - 'A'
		case b >= '0' && b <= '9':
			c = bcDigit
		case b >= 0x80 && b < 0xC0:
			c = bcCont + b - 0x80
		case b == 0xD0:
			c = bcLead0
		case b == 0xD1:
			c = bcLead1
		case b >= 0xC2 && b < 0xE0:
			c = bcLead2
		case b >= 0xE0 && b < 0xF0:
			c = bcLead3
		case b >= 0xF0 && b < 0xF5:
			c = bcLead4
		default:
			c = bcSep
		}
		m.byteCls[b] = uint8(c)
	}

	// Trie over symbols; node 0 is the root.
	type node struct {
		next map[uint8]int32
		out  []int32
		last uint8 // the symbol on the edge into this node
	}
	nodes := []node{{next: map[uint8]int32{}}}
	add := func(syms []uint8, id int32) {
		n := int32(0)
		for _, s := range syms {
			nx, ok := nodes[n].next[s]
			if !ok {
				nx = int32(len(nodes))
				nodes = append(nodes, node{next: map[uint8]int32{}, last: s})
				nodes[n].next[s] = nx
			}
			n = nx
		}
		nodes[n].out = append(nodes[n].out, id)
	}
	for i, p := range patterns {
		variants, err := Expand(p)
		if err != nil {
			return nil, fmt.Errorf("pattern %d %q: %w", i, p, err)
		}
		for _, v := range variants {
			syms, word, err := encode(v)
			if err != nil {
				return nil, fmt.Errorf("pattern %d %q (variant %q): %w", i, p, v, err)
			}
			id := int32(len(m.expID))
			m.expID = append(m.expID, int32(i))
			m.expWord = append(m.expWord, word)
			body := syms[1:] // without the leading separator
			if word {
				body = body[:len(body)-1]
			}
			m.expSyms = append(m.expSyms, body)
			add(syms, id)
		}
	}

	// Breadth-first: failure links and the symbol-level transition function.
	ns := len(nodes)
	fail := make([]int32, ns)
	delta := make([]int32, ns*numClasses)
	order := make([]int32, 0, ns)
	for c, nx := range nodes[0].next {
		delta[int(c)] = nx
		order = append(order, nx)
	}
	for qi := 0; qi < len(order); qi++ {
		n := order[qi]
		f := fail[n]
		copy(delta[int(n)*numClasses:(int(n)+1)*numClasses], delta[int(f)*numClasses:(int(f)+1)*numClasses])
		for c, nx := range nodes[n].next {
			delta[int(n)*numClasses+int(c)] = nx
			fail[nx] = delta[int(f)*numClasses+int(c)]
			order = append(order, nx)
		}
	}
	// Outputs: own plus the failure chain's, in BFS order so parents are done.
	outSets := make([][]int32, ns)
	for _, n := range order {
		o := append([]int32(nil), nodes[n].out...)
		o = append(o, outSets[fail[n]]...)
		outSets[n] = o
	}
	// Number states breadth-first so the shallow states, where the scanner
	// spends nearly all its time, share a few cache lines.
	bfs := append([]int32{0}, order...)
	newID := make([]uint32, ns)
	for i, n := range bfs {
		newID[n] = uint32(i)
	}
	m.outIdx = make([]uint32, ns+1)
	for i, n := range bfs {
		m.outIdx[i] = uint32(len(m.outs))
		m.outs = append(m.outs, outSets[n]...)
	}
	m.outIdx[ns] = uint32(len(m.outs))

	// Ordinary rows in breadth-first order. A state entered by a separator
	// gets 64 more entries for continuation bytes; the others end at rowW
	// and the next row starts there.
	sepEntered := func(n int32) bool { return n != 0 && nodes[n].last == clsSep }
	offset := make([]uint32, ns) // by BFS position
	size := uint32(0)
	for i, n := range bfs {
		offset[i] = size
		size += rowW
		if sepEntered(n) {
			size += 64
		}
	}
	// step is a symbol-level transition as a table entry: the target's row
	// offset and output flag. A state entered by a separator (every
	// transition into a trie node carries the node's own edge symbol) loops
	// on further separators without reporting again: runs of separators
	// count once.
	step := func(n int32, c uint8) uint32 {
		if c == clsSep && sepEntered(n) {
			return offset[newID[n]]
		}
		nx := delta[int(n)*numClasses+int(c)]
		v := offset[newID[nx]]
		if len(outSets[nx]) > 0 {
			v |= 1
		}
		return v
	}
	var cyrCls [2][64]uint8
	for lead := 0; lead < 2; lead++ {
		for k := 0; k < 64; k++ {
			r, _ := utf8.DecodeRune([]byte{byte(0xD0 + lead), byte(0x80 + k)})
			cyrCls[lead][k] = classOf(r)
		}
	}

	// Intermediate rows follow, 64 apart: the entries of a row at offset b
	// are read at b+bcCont .. b+bcCont+63, so each row's unused leading
	// entries overlap the row before. Identical rows are shared: most states
	// send every Cyrillic letter to the root. bcCont entries of padding come
	// first, so that no intermediate offset equals an ordinary one.
	m.inter = size
	m.trans = make([]uint32, size+bcCont)
	shared := map[string]uint32{}
	var key [64 * 4]byte
	interRow := func(entries *[64]uint32) uint32 {
		for k, e := range entries {
			binary.LittleEndian.PutUint32(key[4*k:], e)
		}
		if off, ok := shared[string(key[:])]; ok {
			return off
		}
		off := uint32(len(m.trans)) - bcCont
		m.trans = append(m.trans, entries[:]...)
		shared[string(key[:])] = off
		return off
	}
	for i, n := range bfs {
		row := offset[i]
		for k := 0; k < 26; k++ {
			m.trans[row+bcLatin+uint32(k)] = step(n, uint8(clsLatin+k))
		}
		m.trans[row+bcDigit] = step(n, clsDigit)
		sep := step(n, clsSep)
		m.trans[row+bcSep] = sep
		m.trans[row+bcLead2] = sep
		m.trans[row+bcLead3] = sep
		m.trans[row+bcLead4] = sep
		m.trans[row+colID] = uint32(i)
		if sepEntered(n) {
			for k := uint32(0); k < 64; k++ {
				m.trans[row+bcCont+k] = row
			}
		}
		for lead := 0; lead < 2; lead++ {
			var e [64]uint32
			for k := range e {
				e[k] = step(n, cyrCls[lead][k])
			}
			m.trans[row+bcLead0+uint32(lead)] = interRow(&e)
		}
	}
	// Padding: malformed UTF-8 may read any class in any row; it must stay
	// inside the table (a wrong step is caught when the hit is verified).
	m.trans = append(m.trans, make([]uint32, bcCont+64)...)
	m.start = m.trans[bcSep] &^ 1
	m.states = ns
	return m, nil
}

// States is the number of automaton states, for benchmarks and docs.
func (m *Matcher) States() int { return m.states }

// TableBytes is the size of the transition table, for benchmarks and docs.
func (m *Matcher) TableBytes() int { return 4 * len(m.trans) }

// Scan appends to dst every occurrence of every pattern in text, in no
// particular order. Overlapping and nested occurrences are all reported.
// Scan does not allocate unless dst must grow.
//
// A DFA step waits for the previous one (the next row depends on the last
// load), so one stream runs at the latency of a cache hit per byte. Longer
// texts are cut at separators into two or four pieces that run in the same
// loop, which keeps that many loads in flight. Each piece but the last then
// runs on past its end until no match it started can still be in progress.
func (m *Matcher) Scan(text string, dst []Hit) []Hit {
	var cuts [5]int
	n := m.cut(text, &cuts)
	var st [4]uint32
	switch n {
	case 1:
		st[0], dst = m.run(text, 0, len(text), m.start, dst)
	case 2:
		st, dst = m.run2(text, &cuts, dst)
	default:
		st, dst = m.run4(text, &cuts, dst)
	}
	dst = m.finish(text, st[n-1], dst)
	for j := 0; j < n-1; j++ {
		dst = m.carry(text, st[j], cuts[j+1], dst)
	}
	return dst
}

// Texts shorter than split2 run as one stream, shorter than split4 as two.
const (
	split2 = 64
	split4 = 256
)

// cut fills cuts with the piece boundaries, each an ASCII separator near an
// even split, and returns the number of pieces.
func (m *Matcher) cut(text string, cuts *[5]int) int {
	n := 1
	switch {
	case len(text) >= split4:
		n = 4
	case len(text) >= split2:
		n = 2
	}
	cuts[0] = 0
	for j := 1; j < n; j++ {
		at := -1
		for i, end := max(len(text)*j/n, cuts[j-1]+1), min(len(text), len(text)*j/n+48); i < end; i++ {
			if text[i] < utf8.RuneSelf && m.byteCls[text[i]] == bcSep {
				at = i
				break
			}
		}
		if at < 0 {
			// No separator close to the split: one stream.
			cuts[1] = len(text)
			return 1
		}
		cuts[j] = at
	}
	cuts[n] = len(text)
	return n
}

// run2 and run4 step the pieces side by side for as long as the shortest
// one lasts, then finish each piece alone. They return each stream's row.
// The stepping itself is in leaf functions without calls, which keeps the
// states in registers; they stop at the first byte that completes a match.
func (m *Matcher) run2(text string, cuts *[5]int, dst []Hit) ([4]uint32, []Hit) {
	p0, p1 := text[cuts[0]:cuts[1]], text[cuts[1]:cuts[2]]
	l := min(len(p0), len(p1))
	s0, s1 := m.start, m.start
	for k := 0; k < l; k++ {
		var t0, t1 uint32
		k, t0, t1 = step2(m.trans, &m.byteCls, p0[:l], p1[:l], k, s0, s1)
		if k == l {
			s0, s1 = t0, t1
			break
		}
		s0, s1 = t0&^1, t1&^1
		if t0&1 != 0 {
			dst = m.report(text, s0, cuts[0]+k, dst)
		}
		if t1&1 != 0 {
			dst = m.report(text, s1, cuts[1]+k, dst)
		}
	}
	var st [4]uint32
	st[0], dst = m.run(text, cuts[0]+l, cuts[1], s0, dst)
	st[1], dst = m.run(text, cuts[1]+l, cuts[2], s1, dst)
	return st, dst
}

// step2 steps from byte k until a step completes a match, and returns that
// byte's index and the two entries read there; or len(p0) and the rows.
func step2(trans []uint32, bc *[256]uint8, p0, p1 string, k int, s0, s1 uint32) (int, uint32, uint32) {
	p1 = p1[:len(p0)]
	for ; k < len(p0); k++ {
		t0 := trans[s0+uint32(bc[p0[k]])]
		t1 := trans[s1+uint32(bc[p1[k]])]
		if (t0|t1)&1 != 0 {
			return k, t0, t1
		}
		s0, s1 = t0, t1
	}
	return k, s0, s1
}

func (m *Matcher) run4(text string, cuts *[5]int, dst []Hit) ([4]uint32, []Hit) {
	var p [4]string
	l := len(text)
	for j := range p {
		p[j] = text[cuts[j]:cuts[j+1]]
		l = min(l, len(p[j]))
	}
	for j := range p {
		p[j] = p[j][:l]
	}
	s := [4]uint32{m.start, m.start, m.start, m.start}
	for k := 0; k < l; k++ {
		var t [4]uint32
		k, t = step4(m.trans, &m.byteCls, &p, k, s)
		if k == l {
			s = t
			break
		}
		for j := range t {
			s[j] = t[j] &^ 1
			if t[j]&1 != 0 {
				dst = m.report(text, s[j], cuts[j]+k, dst)
			}
		}
	}
	var st [4]uint32
	for j := range s {
		st[j], dst = m.run(text, cuts[j]+l, cuts[j+1], s[j], dst)
	}
	return st, dst
}

// step4 is step2 for four pieces of equal length.
func step4(trans []uint32, bc *[256]uint8, p *[4]string, k int, s [4]uint32) (int, [4]uint32) {
	p0, p1, p2, p3 := p[0], p[1], p[2], p[3]
	p1, p2, p3 = p1[:len(p0)], p2[:len(p0)], p3[:len(p0)]
	s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
	for ; k < len(p0); k++ {
		t0 := trans[s0+uint32(bc[p0[k]])]
		t1 := trans[s1+uint32(bc[p1[k]])]
		t2 := trans[s2+uint32(bc[p2[k]])]
		t3 := trans[s3+uint32(bc[p3[k]])]
		if (t0|t1|t2|t3)&1 != 0 {
			return k, [4]uint32{t0, t1, t2, t3}
		}
		s0, s1, s2, s3 = t0, t1, t2, t3
	}
	return k, [4]uint32{s0, s1, s2, s3}
}

// run steps one stream over text[from:to] from row s.
func (m *Matcher) run(text string, from, to int, s uint32, dst []Hit) (uint32, []Hit) {
	trans := m.trans
	bc := &m.byteCls
	for i := from; i < to; i++ {
		t := trans[s+uint32(bc[text[i]])]
		s = t &^ 1
		if t&1 != 0 {
			dst = m.report(text, s, i, dst)
		}
	}
	return s, dst
}

// carry runs a stream on from the start of the next piece, at end, for as
// long as it may still be inside a match that began before end; the next
// stream reports everything that begins at end or later.
func (m *Matcher) carry(text string, s uint32, end int, dst []Hit) []Hit {
	from := len(dst)
	i := end
	for ; i < len(text) && s != 0 && s != m.start; i++ {
		t := m.trans[s+uint32(m.byteCls[text[i]])]
		s = t &^ 1
		if t&1 != 0 {
			dst = m.report(text, s, i, dst)
		}
	}
	if i == len(text) {
		dst = m.finish(text, s, dst)
	}
	kept := dst[:from]
	for _, h := range dst[from:] {
		if h.Start < end {
			kept = append(kept, h)
		}
	}
	return kept
}

// finish reads the virtual separator after the end of the text.
func (m *Matcher) finish(text string, s uint32, dst []Hit) []Hit {
	if s >= m.inter {
		s = 0 // the text ends inside a rune
	}
	if t := m.trans[s+bcSep]; t&1 != 0 {
		dst = m.report(text, t&^1, len(text), dst)
	}
	return dst
}

// report appends the outputs of the ordinary row s, entered by the byte at
// text[i] (or at the end of the text, i == len(text)). The byte ends the
// letter that completed a match, or starts the separator that closed a '$'
// pattern.
func (m *Matcher) report(text string, s uint32, i int, dst []Hit) []Hit {
	state := m.trans[s+colID]
	for _, e := range m.outs[m.outIdx[state]:m.outIdx[state+1]] {
		stop := min(i+1, len(text))
		if m.expWord[e] {
			stop = i
		}
		body := m.expSyms[e]
		start := backSymbols(text, stop, len(body))
		if !verify(text[start:stop], body) {
			continue // only reachable through malformed UTF-8
		}
		dst = append(dst, Hit{Pattern: int(m.expID[e]), Start: start, End: stop})
	}
	return dst
}

// backSymbols walks back n symbols from text[:end] under the scanning rules
// (separator runs count once) and returns the offset of the first rune of
// those symbols.
func backSymbols(text string, end, n int) int {
	i := end
	prevSep := false
	for n > 0 && i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		i -= size
		if classOf(r) == clsSep {
			if prevSep {
				continue
			}
			prevSep = true
		} else {
			prevSep = false
		}
		n--
	}
	return i
}

// verify reports whether s reads as the symbols body.
func verify(s string, body []uint8) bool {
	k := 0
	prevSep := false
	for _, r := range s {
		c := classOf(r)
		if c == clsSep && prevSep {
			continue
		}
		prevSep = c == clsSep
		if k == len(body) || body[k] != c {
			return false
		}
		k++
	}
	return k == len(body)
}

// encode turns one expanded pattern into symbols with its boundary
// separators: a leading one always, a trailing one for '$'.
func encode(p string) ([]uint8, bool, error) {
	word := strings.HasSuffix(p, "$")
	p = strings.TrimSuffix(p, "$")
	syms := []uint8{clsSep}
	for _, r := range p {
		c := classOf(r)
		if c == clsSep && syms[len(syms)-1] == clsSep {
			continue
		}
		syms = append(syms, c)
	}
	if syms[len(syms)-1] == clsSep {
		syms = syms[:len(syms)-1]
	}
	if len(syms) < 2 {
		return nil, false, fmt.Errorf("no letters or digits")
	}
	if word {
		syms = append(syms, clsSep)
	}
	return syms, word, nil
}

// Expand returns the variants of a pattern with brace alternations,
// e.g. "линии{|ю} x" gives "линии x" and "линиию x". Groups may repeat but
// not nest.
func Expand(p string) ([]string, error) {
	out := []string{""}
	for len(p) > 0 {
		open := strings.IndexByte(p, '{')
		if open < 0 {
			if strings.IndexByte(p, '}') >= 0 {
				return nil, fmt.Errorf("unbalanced '}'")
			}
			for i := range out {
				out[i] += p
			}
			break
		}
		closing := strings.IndexByte(p[open:], '}')
		if closing < 0 {
			return nil, fmt.Errorf("unclosed '{'")
		}
		closing += open
		lit, alts := p[:open], strings.Split(p[open+1:closing], "|")
		if strings.ContainsAny(lit, "}") || strings.ContainsAny(p[open+1:closing], "{") {
			return nil, fmt.Errorf("nested or unbalanced braces")
		}
		next := make([]string, 0, len(out)*len(alts))
		for _, o := range out {
			for _, a := range alts {
				next = append(next, o+lit+a)
			}
		}
		out = next
		p = p[closing+1:]
	}
	sort.Strings(out)
	// Duplicates would report the same hit twice.
	uniq := out[:0]
	for i, v := range out {
		if i == 0 || v != out[i-1] {
			uniq = append(uniq, v)
		}
	}
	return uniq, nil
}

// Fold returns text as the matcher sees it: lower case, ё as е, і as i,
// separators as single spaces. Names that fold to the same string match the
// same text.
func Fold(text string) string {
	var b strings.Builder
	sep := true // drop leading separators
	for _, r := range text {
		if classOf(r) == clsSep {
			if !sep {
				b.WriteByte(' ')
				sep = true
			}
			continue
		}
		sep = false
		r = unicode.ToLower(r)
		switch r {
		case 'ё':
			r = 'е'
		case 'і':
			r = 'i'
		}
		b.WriteRune(r)
	}
	return strings.TrimSuffix(b.String(), " ")
}

// classOf maps a rune to its symbol class. It mirrors the byte table of
// Compile exactly: only ASCII letters and digits and the letters of the
// U+0400-U+047F block are told apart; every other rune (ґ, accented Latin,
// combining accents, punctuation, emoji) is a separator.
func classOf(r rune) uint8 {
	switch {
	case r >= 'a' && r <= 'z':
		return uint8(clsLatin + r - 'a')
	case r >= 'A' && r <= 'Z':
		return uint8(clsLatin + r - 'A')
	case r >= '0' && r <= '9':
		return clsDigit
	case r >= 'а' && r <= 'я':
		return uint8(clsCyr + r - 'а')
	case r >= 'А' && r <= 'Я':
		return uint8(clsCyr + r - 'А')
	case r == 'ё' || r == 'Ё':
		return clsCyr + ('е' - 'а')
	case r == 'і' || r == 'І':
		return clsLatin + ('i' - 'a')
	case r == 'є' || r == 'Є':
		return clsCyr + 32
	case r == 'ї' || r == 'Ї':
		return clsCyr + 33
	case r >= 0x400 && r <= 0x47F:
		return clsOther
	}
	return clsSep
}

// WordEnd returns the offset just past the word that contains text[i-1]:
// a stem hit such as "подстанци" extends to "подстанцию" for display.
func WordEnd(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if classOf(r) == clsSep {
			break
		}
		i += n
	}
	return i
}

// Contained reports whether another of hits covers h and is longer: a hit
// inside a longer one ("power plant" inside "nuclear power plant") is
// usually the longer one's part, not a match of its own. Hits with the same
// span do not shadow each other. Quadratic, but over one text's few hits.
func Contained(h Hit, hits []Hit) bool {
	for _, g := range hits {
		if g.Start <= h.Start && h.End <= g.End && g.End-g.Start > h.End-h.Start {
			return true
		}
	}
	return false
}
