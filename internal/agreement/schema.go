package agreement

import (
	"encoding/json"

	"github.com/invopop/jsonschema"

	"github.com/truce-monitor/truce/internal/taxonomy"
)

// SchemaID is the $id of the generated JSON Schema.
const SchemaID = "urn:truce:schema:agreement:1"

// Schema returns a JSON Schema of the agreement format, generated from the
// Go types so it cannot drift from what Parse accepts. Editors use it to
// complete and check files; the vocabularies are listed as enums.
func Schema() ([]byte, error) {
	r := &jsonschema.Reflector{FieldNameTag: "yaml", DoNotReference: false}
	s := r.Reflect(&Agreement{})
	s.ID = SchemaID
	s.Title = "truce agreement"
	s.Description = "An agreement or proposal encoded for truce: parties, window, commitments, readings, proposals, each term with its source."

	kinds, targets := enum(taxonomy.Kinds.IDs()), enum(taxonomy.Targets.IDs())
	setEnum := func(def, prop string, values []any) {
		d, ok := s.Definitions[def]
		if !ok {
			return
		}
		p, ok := d.Properties.Get(prop)
		if !ok {
			return
		}
		if p.Items != nil {
			p.Items.Enum = values
		} else {
			p.Enum = values
		}
	}
	for _, def := range []string{"Conduct", "Exception", "ConductOverride"} {
		setEnum(def, "kinds", kinds)
		setEnum(def, "targets", targets)
	}
	setEnum("Agreement", "status", enum(statuses))
	setEnum("Position", "stance", enum([]Stance{StanceSupports, StanceRejects, StanceConditional, StanceNoComment}))
	setEnum("Release", "kind", enum([]ReleaseKind{ReleaseNone, ReleaseCounterpartyMayWithdraw}))
	setEnum("Step", "level", enum(Levels()))
	// A commitment is either a prohibition or an obligation.
	if d, ok := s.Definitions["Commitment"]; ok {
		d.OneOf = []*jsonschema.Schema{{Required: []string{"prohibited"}}, {Required: []string{"obligation"}}}
	}
	for def, text := range descriptions {
		if d, ok := s.Definitions[def]; ok {
			d.Description = text
		}
	}
	return json.MarshalIndent(s, "", "  ")
}

func enum[T ~string](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

var descriptions = map[string]string{
	"Party":      "A party, mediator or guarantor, with the names each source gives it (aliases keyed by source kind: acled, ucdp, gdelt, claims).",
	"Source":     "A document a term rests on; terms cite it by id.",
	"Window":     "When commitments are in force. start is local wall-clock time in time_zone; give duration (30d calendar days, 30h hours, 90m minutes) or end.",
	"Commitment": "One term with a stable id that is never reused; withdrawn commitments stay in the file. Either a prohibition (prohibited) or a positive obligation (obligation, with implementation steps), never both.",
	"Obligation": "A positive obligation: what the bound parties (or a mediator or guarantor) must do, and by when if the text says. Matching ignores it; its implementation steps make its score.",
	"Step":       "A dated step in implementing an obligation: its level (not_started, minimal, intermediate, full, in the spirit of the Peace Accords Matrix), the source that is the evidence, and a note. Steps are listed in date order.",
	"Conduct":    "What is prohibited: any of kinds against any of targets (empty targets: any target). Ids are hierarchical: strike covers strike.drone.",
	"Reading":    "One party's version of disputed terms; what it does not override is read as written.",
	"Proposal":   "A term offered by someone, with each party's positions over time.",
	"Position":   "A party's stance on a proposal at a date; conditional stances name the proposals they depend on.",
}
