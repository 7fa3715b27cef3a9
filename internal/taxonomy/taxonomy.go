// Package taxonomy defines truce's two controlled vocabularies: the kinds of
// conduct an event records and the categories of target it hits. Agreements
// name terms from here, classifiers assign them, and matching compares them.
//
// Both vocabularies are hierarchical, with dot-separated ids: a commitment
// that prohibits "strike" also prohibits "strike.drone", and one that protects
// "energy" also protects "energy.electricity.transmission".
package taxonomy

import (
	"sort"
	"strings"
)

// Term is one entry of a vocabulary.
type Term struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

// Vocabulary is an ordered set of hierarchical terms.
type Vocabulary struct {
	name  string
	terms []Term
	index map[string]int
}

func newVocabulary(name string, terms []Term) *Vocabulary {
	v := &Vocabulary{name: name, terms: terms, index: make(map[string]int, len(terms))}
	for i, t := range terms {
		v.index[t.ID] = i
	}
	return v
}

// Name is the vocabulary's name, as used in messages ("target category").
func (v *Vocabulary) Name() string { return v.name }

// Terms returns every term in documentation order.
func (v *Vocabulary) Terms() []Term { return append([]Term(nil), v.terms...) }

// Has reports whether id is a term of the vocabulary.
func (v *Vocabulary) Has(id string) bool {
	_, ok := v.index[id]
	return ok
}

// Lookup returns the term with the given id.
func (v *Vocabulary) Lookup(id string) (Term, bool) {
	i, ok := v.index[id]
	if !ok {
		return Term{}, false
	}
	return v.terms[i], true
}

// IDs returns all term ids, sorted.
func (v *Vocabulary) IDs() []string {
	ids := make([]string, len(v.terms))
	for i, t := range v.terms {
		ids[i] = t.ID
	}
	sort.Strings(ids)
	return ids
}

// Suggest returns the known ids closest to an unknown one, for error messages:
// terms sharing its last segment, or its first segment.
func (v *Vocabulary) Suggest(id string) []string {
	last := id[strings.LastIndexByte(id, '.')+1:]
	first, _, _ := strings.Cut(id, ".")
	var out []string
	for _, t := range v.terms {
		tl := t.ID[strings.LastIndexByte(t.ID, '.')+1:]
		if tl == last || strings.Contains(t.ID, last) {
			out = append(out, t.ID)
		}
	}
	if len(out) == 0 {
		for _, t := range v.terms {
			if tf, _, _ := strings.Cut(t.ID, "."); tf == first && !strings.Contains(t.ID, ".") {
				out = append(out, t.ID)
			}
		}
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// Covers reports whether the term general covers the term specific: they are
// equal, or specific is a descendant of general.
func Covers(general, specific string) bool {
	if general == specific {
		return true
	}
	return strings.HasPrefix(specific, general) && specific[len(general)] == '.'
}

// CoveredBy reports whether id is covered by any of the given terms, and
// which one covers it.
func CoveredBy(id string, terms []string) (string, bool) {
	for _, t := range terms {
		if Covers(t, id) {
			return t, true
		}
	}
	return "", false
}

// Closure returns terms plus every broader id of the vocabulary whose
// subcategories the terms cover completely, and for each added id the
// children that implied it. A list holding every subcategory of "energy"
// covers "energy infrastructure" in a text as well: nothing the broad word
// could mean is left out. A list missing one subcategory does not, and the
// broad word stays unsure.
func (v *Vocabulary) Closure(terms []string) (out []string, implied map[string][]string) {
	out = append([]string(nil), terms...)
	for changed := true; changed; {
		changed = false
		for _, t := range v.terms {
			if _, ok := CoveredBy(t.ID, out); ok {
				continue
			}
			kids := v.children(t.ID)
			if len(kids) == 0 {
				continue
			}
			all := true
			for _, k := range kids {
				if _, ok := CoveredBy(k, out); !ok {
					all = false
					break
				}
			}
			if all {
				if implied == nil {
					implied = map[string][]string{}
				}
				out = append(out, t.ID)
				implied[t.ID] = kids
				changed = true
			}
		}
	}
	return out, implied
}

// children lists the direct subcategories of id.
func (v *Vocabulary) children(id string) []string {
	var kids []string
	for _, t := range v.terms {
		if strings.HasPrefix(t.ID, id+".") && !strings.Contains(t.ID[len(id)+1:], ".") {
			kids = append(kids, t.ID)
		}
	}
	return kids
}
