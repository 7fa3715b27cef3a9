package agreement

import (
	"fmt"
	"slices"
)

// AgreedReading names the single reading of an agreement whose terms no
// party disputes.
const AgreedReading = "agreed"

// Terms are the commitments of an agreement under one reading, with the
// window resolved to instants: what matching evaluates.
type Terms struct {
	// Reading is the party whose reading this is, or AgreedReading.
	Reading     string       `json:"reading"`
	Description string       `json:"description,omitempty"`
	Window      Resolved     `json:"window"`
	Commitments []Commitment `json:"commitments"`
	// Overrides notes, per commitment id, how this reading departs from the text.
	Overrides map[string]ConductOverride `json:"overrides,omitempty"`
	Source    string                     `json:"source,omitempty"`
}

// AllTerms returns the terms under each party's reading, in file order, or
// the single agreed reading when no party disputes the text. Withdrawn
// commitments and obligations are left out: terms are what matching
// evaluates, and obligations yield no findings.
func (a *Agreement) AllTerms() ([]Terms, error) {
	if len(a.Readings) == 0 {
		t, err := a.terms(nil)
		if err != nil {
			return nil, err
		}
		return []Terms{t}, nil
	}
	out := make([]Terms, 0, len(a.Readings))
	for i := range a.Readings {
		t, err := a.terms(&a.Readings[i])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// TermsFor returns the terms under one party's reading. A party without a
// reading of its own reads the text as written.
func (a *Agreement) TermsFor(party string) (Terms, error) {
	for i := range a.Readings {
		if a.Readings[i].Party == party {
			return a.terms(&a.Readings[i])
		}
	}
	if !slices.ContainsFunc(a.allParties(), func(p Party) bool { return p.ID == party }) {
		return Terms{}, fmt.Errorf("agreement %s has no party %q", a.ID, party)
	}
	t, err := a.terms(nil)
	t.Reading = party
	t.Description = "no reading of its own: the agreement as written"
	return t, err
}

func (a *Agreement) allParties() []Party {
	return slices.Concat(a.Parties, a.Mediators, a.Guarantors)
}

func (a *Agreement) terms(r *Reading) (Terms, error) {
	t := Terms{Reading: AgreedReading}
	w := a.Window
	if r != nil {
		t.Reading, t.Description, t.Source = r.Party, r.Description, r.Source
		w = w.apply(r.Window)
		if len(r.Commitments) > 0 {
			t.Overrides = r.Commitments
		}
	}
	var err error
	if t.Window, err = w.Resolve(); err != nil {
		return Terms{}, fmt.Errorf("reading %s: %w", t.Reading, err)
	}
	for _, c := range a.Commitments {
		if c.Withdrawn != nil || c.IsObligation() {
			continue // obligations are not matched: see Normalized.Obligations
		}
		if r != nil {
			if o, ok := r.Commitments[c.ID]; ok {
				if len(o.Kinds) > 0 {
					c.Prohibited.Kinds = o.Kinds
				}
				if len(o.Targets) > 0 {
					c.Prohibited.Targets = o.Targets
				}
			}
		}
		t.Commitments = append(t.Commitments, c)
	}
	return t, nil
}

// Normalized is an agreement as `truce agreement show --json` prints it and
// as the store keeps it: the text plus its terms under every reading.
type Normalized struct {
	ID         string   `json:"id"`
	Version    int      `json:"version"`
	Title      string   `json:"title"`
	Status     Status   `json:"status"`
	Summary    string   `json:"summary,omitempty"`
	Parties    []Party  `json:"parties"`
	Mediators  []Party  `json:"mediators,omitempty"`
	Guarantors []Party  `json:"guarantors,omitempty"`
	Release    *Release `json:"release,omitempty"`
	Extension  *Rule    `json:"extension,omitempty"`
	Readings   []Terms  `json:"readings"`
	// Obligations are the positive obligations in force, with their
	// implementation steps: the same under every reading, never matched.
	Obligations []Commitment `json:"obligations,omitempty"`
	Withdrawn   []string     `json:"withdrawn_commitments,omitempty"`
	Proposals   []Proposal   `json:"proposals,omitempty"`
	Sources     []Source     `json:"sources"`
	History     []Change     `json:"history,omitempty"`
}

// Normalize resolves every reading. With party set, only that party's reading.
func (a *Agreement) Normalize(party string) (Normalized, error) {
	n := Normalized{
		ID: a.ID, Version: a.Version, Title: a.Title, Status: a.Status, Summary: a.Summary,
		Parties: a.Parties, Mediators: a.Mediators, Guarantors: a.Guarantors,
		Release: a.Release, Extension: a.Window.Extension,
		Proposals: a.Proposals, Sources: a.Sources, History: a.History,
	}
	for _, c := range a.Commitments {
		switch {
		case c.Withdrawn != nil:
			n.Withdrawn = append(n.Withdrawn, c.ID)
		case c.IsObligation():
			n.Obligations = append(n.Obligations, c)
		}
	}
	var err error
	if party != "" {
		var t Terms
		t, err = a.TermsFor(party)
		n.Readings = []Terms{t}
	} else {
		n.Readings, err = a.AllTerms()
	}
	return n, err
}
