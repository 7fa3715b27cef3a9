package vocab

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is what a Ref points at.
type Kind string

// Kinds of stored things a reference names.
const (
	KindEvent    Kind = "event"
	KindClaim    Kind = "claim"
	KindFinding  Kind = "finding"
	KindIncident Kind = "incident"
)

// Ref names one stored thing by its kind and internal id, and for an
// event or a claim optionally one allegation of its text (Part, from 1;
// 0 is the record as a whole). It is spelled the same everywhere, in
// commands, JSON, the audit log and the API: "event/12", "claim/7#2",
// "finding/3", "incident/4".
type Ref struct {
	Kind Kind
	ID   int64
	Part int
}

// EventRef and the others make a Ref.
func EventRef(id int64) Ref    { return Ref{Kind: KindEvent, ID: id} }
func ClaimRef(id int64) Ref    { return Ref{Kind: KindClaim, ID: id} }
func FindingRef(id int64) Ref  { return Ref{Kind: KindFinding, ID: id} }
func IncidentRef(id int64) Ref { return Ref{Kind: KindIncident, ID: id} }

// IsRecord reports whether r names an event or a claim.
func (r Ref) IsRecord() bool { return r.Kind == KindEvent || r.Kind == KindClaim }

// Whole is r without its part: the record the allegation is of.
func (r Ref) Whole() Ref { r.Part = 0; return r }

func (r Ref) String() string {
	s := string(r.Kind) + "/" + strconv.FormatInt(r.ID, 10)
	if r.Part > 0 {
		s += "#" + strconv.Itoa(r.Part)
	}
	return s
}

// ParseRef reads a reference of one of kinds (any kind if none is given).
func ParseRef(text string, kinds ...Kind) (Ref, error) {
	bad := func() (Ref, error) {
		spell := make([]string, 0, 4)
		for _, k := range kindsOr(kinds) {
			spell = append(spell, string(k)+"/ID")
		}
		return Ref{}, fmt.Errorf("%q is not a reference: write %s", text, strings.Join(spell, " or "))
	}
	kind, rest, ok := strings.Cut(text, "/")
	if !ok {
		return bad()
	}
	k := Kind(kind)
	known := false
	for _, want := range kindsOr(kinds) {
		known = known || k == want
	}
	if !known {
		return bad()
	}
	idText, partText, hasPart := strings.Cut(rest, "#")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 || strings.HasPrefix(idText, "+") {
		return bad()
	}
	r := Ref{Kind: k, ID: id}
	if hasPart {
		p, err := strconv.Atoi(partText)
		if err != nil || p <= 0 || !r.IsRecord() || strings.HasPrefix(partText, "+") {
			return bad()
		}
		r.Part = p
	}
	return r, nil
}

func kindsOr(kinds []Kind) []Kind {
	if len(kinds) == 0 {
		return []Kind{KindEvent, KindClaim, KindFinding, KindIncident}
	}
	return kinds
}

// MarshalText spells r as String does, so JSON carries "event/12".
func (r Ref) MarshalText() ([]byte, error) {
	if r.Kind == "" {
		return nil, nil
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads what MarshalText wrote.
func (r *Ref) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = Ref{}
		return nil
	}
	v, err := ParseRef(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// ParseSubject reads what a review is about: "finding/12" or
// "incident/3".
func ParseSubject(text string) (Ref, error) {
	r, err := ParseRef(text, KindFinding, KindIncident)
	if err != nil {
		return Ref{}, fmt.Errorf("%q is not a review subject: write finding/ID or incident/ID", text)
	}
	return r, nil
}
