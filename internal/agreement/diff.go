package agreement

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

// Change kinds in a diff.
const (
	Added   = "+"
	Removed = "-"
	Changed = "~"
)

// TermChange is one difference between two versions of an agreement.
type TermChange struct {
	Op   string `json:"op"`   // Added, Removed or Changed
	Term string `json:"term"` // e.g. commitments[energy-strikes].prohibited.targets
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
}

func (c TermChange) String() string {
	switch c.Op {
	case Added:
		return fmt.Sprintf("+ %s: %s", c.Term, c.New)
	case Removed:
		return fmt.Sprintf("- %s: %s", c.Term, c.Old)
	default:
		return fmt.Sprintf("~ %s: %s -> %s", c.Term, c.Old, c.New)
	}
}

// Diff compares two versions term by term. Lists of identified things
// (commitments, parties, sources, readings, proposals, positions) are matched
// by id rather than by position, so reordering a file is not a change; the
// windows are compared as written and as resolved under every reading.
func Diff(old, new *Agreement) ([]TermChange, error) {
	a, err := flatten(old)
	if err != nil {
		return nil, err
	}
	b, err := flatten(new)
	if err != nil {
		return nil, err
	}
	var out []TermChange
	for k, v := range a {
		w, ok := b[k]
		switch {
		case !ok:
			out = append(out, TermChange{Op: Removed, Term: k, Old: v})
		case v != w:
			out = append(out, TermChange{Op: Changed, Term: k, Old: v, New: w})
		}
	}
	for k, w := range b {
		if _, ok := a[k]; !ok {
			out = append(out, TermChange{Op: Added, Term: k, New: w})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Term < out[j].Term })
	return out, nil
}

// Comparison is what changed from one version of an agreement to
// another, term by term, and what the newer may not do to the older: what
// `truce agreement diff` prints and the API's diff answers.
type Comparison struct {
	ID       string       `json:"id"`
	From     int          `json:"from"` // the older version
	To       int          `json:"to"`   // the newer version
	Changes  []TermChange `json:"changes"`
	Warnings []string     `json:"warnings,omitempty"`
}

// Compare diffs old and new (see Diff) and checks new against the rules of
// evolution (see CheckEvolution).
func Compare(old, new *Agreement) (Comparison, error) {
	changes, err := Diff(old, new)
	if err != nil {
		return Comparison{}, err
	}
	if changes == nil {
		changes = []TermChange{}
	}
	return Comparison{ID: new.ID, From: old.Version, To: new.Version, Changes: changes, Warnings: CheckEvolution(old, new)}, nil
}

// CheckEvolution reports what a newer version may not do to an older one:
// change the agreement's id, fail to raise the version, drop a commitment
// (it must stay, marked withdrawn, so its id is never reused), or bring a
// withdrawn commitment id back into force.
func CheckEvolution(old, new *Agreement) []string {
	var out []string
	if old.ID != new.ID {
		return []string{fmt.Sprintf("agreement id changed from %q to %q: these are different agreements", old.ID, new.ID)}
	}
	if new.Version <= old.Version {
		out = append(out, fmt.Sprintf("version %d does not follow version %d", new.Version, old.Version))
	}
	byID := map[string]Commitment{}
	for _, c := range new.Commitments {
		byID[c.ID] = c
	}
	for _, c := range old.Commitments {
		n, ok := byID[c.ID]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("commitment %q of version %d is gone in version %d: keep it with `withdrawn:` so its id is never reused", c.ID, old.Version, new.Version))
		case c.Withdrawn != nil && n.Withdrawn == nil:
			out = append(out, fmt.Sprintf("commitment id %q was withdrawn in version %d and is reused in version %d: give the new commitment a new id", c.ID, c.Withdrawn.Version, new.Version))
		}
	}
	return out
}

// flatten maps every term of an agreement to a printable value.
func flatten(a *Agreement) (map[string]string, error) {
	raw, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	delete(tree, "format")
	out := map[string]string{}
	flattenInto(out, "", tree)
	terms, err := a.AllTerms()
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		p := "resolved[" + t.Reading + "]"
		out[p+".window.start_utc"] = instant(t.Window.Start)
		out[p+".window.end_utc"] = instant(t.Window.End)
	}
	return out, nil
}

func instant(t time.Time) string {
	if t.IsZero() {
		return "(open)"
	}
	return t.UTC().Format(time.RFC3339)
}

// keyFields name the field that identifies an element of a list.
var keyFields = [][]string{{"id"}, {"party", "date"}, {"party"}, {"version"}}

func flattenInto(out map[string]string, path string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flattenInto(out, strictyaml.JoinKey(path, k), e)
		}
	case []any:
		if scalars(x) {
			out[path] = scalarList(x)
			return
		}
		for i, e := range x {
			flattenInto(out, path+"["+elementKey(e, i)+"]", e)
		}
	default:
		out[path] = fmt.Sprint(x)
	}
}

func scalars(xs []any) bool {
	return !slices.ContainsFunc(xs, func(e any) bool {
		switch e.(type) {
		case map[string]any, []any:
			return true
		}
		return false
	})
}

// scalarList prints a list of scalars sorted: their order carries no meaning
// in the format (bound parties, kinds, targets, countries).
func scalarList(xs []any) string {
	s := make([]string, len(xs))
	for i, e := range xs {
		s[i] = fmt.Sprint(e)
	}
	sort.Strings(s)
	return "[" + strings.Join(s, ", ") + "]"
}

func elementKey(e any, i int) string {
	m, ok := e.(map[string]any)
	if !ok {
		return fmt.Sprint(i)
	}
	for _, fields := range keyFields {
		parts := make([]string, 0, len(fields))
		for _, f := range fields {
			if v, ok := m[f]; ok && fmt.Sprint(v) != "" {
				parts = append(parts, fmt.Sprint(v))
			}
		}
		if len(parts) == len(fields) {
			return strings.Join(parts, "@")
		}
	}
	return fmt.Sprint(i)
}
