package taxonomy

import (
	"strings"
	"testing"
)

func TestCovers(t *testing.T) {
	cases := []struct {
		general, specific string
		want              bool
	}{
		{"strike", "strike", true},
		{"strike", "strike.drone", true},
		{"energy", "energy.electricity.transmission", true},
		{"energy.electricity", "energy.electricity.generation", true},
		{"energy.electricity", "energy.nuclear", false},
		{"strike", "strikes", false}, // a prefix of the name is not a parent
		{"strike.drone", "strike", false},
	}
	for _, tc := range cases {
		if got := Covers(tc.general, tc.specific); got != tc.want {
			t.Errorf("Covers(%q, %q) = %v, want %v", tc.general, tc.specific, got, tc.want)
		}
	}
}

// Every term's parent must be a term too, so a commitment can name any level.
func TestHierarchyIsClosed(t *testing.T) {
	for _, v := range []*Vocabulary{Kinds, Targets} {
		for _, term := range v.Terms() {
			if i := strings.LastIndexByte(term.ID, '.'); i > 0 && !v.Has(term.ID[:i]) {
				t.Errorf("%s %q has no parent %q", v.Name(), term.ID, term.ID[:i])
			}
			if term.Description == "" {
				t.Errorf("%s %q has no description", v.Name(), term.ID)
			}
		}
	}
}

// The five categories of the Kremlin list of 25 March 2025 must each exist.
func TestEnergyCategoriesOfTheKremlinList(t *testing.T) {
	for _, id := range []string{"energy.refinery", "energy.oil_gas", "energy.electricity", "energy.nuclear", "energy.hydro"} {
		if !Targets.Has(id) {
			t.Errorf("missing %s", id)
		}
	}
}

func TestSuggest(t *testing.T) {
	if got := Targets.Suggest("enrgy.refinery"); len(got) == 0 || got[0] != "energy.refinery" {
		t.Errorf("Suggest = %v", got)
	}
	if _, ok := CoveredBy("strike.drone", []string{"ground", "strike"}); !ok {
		t.Error("strike covers strike.drone")
	}
}
