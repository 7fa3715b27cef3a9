package pipeline

import (
	"testing"

	"github.com/truce-monitor/truce/internal/allege"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
)

// A count column (the MoD scrape's drone_count) describes the post's tally
// and never the kind of its other acts: a post with a strike in its text is
// an allegation, not a count-only claim.
func TestCountColumnIsItsOwnTally(t *testing.T) {
	r, err := allege.New(classify.New(), geo.Builtin(), allege.PartyWords{"UA": {"всу$"}})
	if err != nil {
		t.Fatal(err)
	}
	f := Format{TextField: "text_snippet"}
	n := 12
	c := &event.Claim{Type: event.ClaimCount, Count: &n, Kind: "interception", Claimant: "RU", Accused: "UA",
		Text: "ВСУ атаковали подстанцию в Белгородской области."}
	claimAllegations(r, f, c)
	if len(c.Allegations) != 2 {
		t.Fatalf("allegations %+v", c.Allegations)
	}
	act, tally := c.Allegations[0], c.Allegations[1]
	if act.Kind != "strike" || act.Tally || tally.Kind != "interception" || !tally.Tally || *tally.Count != 12 || tally.Part != 2 {
		t.Errorf("act %+v, tally %+v", act, tally)
	}
	if c.Type != event.ClaimAllegation || c.Kind != "strike" || c.Count != nil {
		t.Errorf("claim %s %s %v: want an allegation of a strike", c.Type, c.Kind, c.Count)
	}

	// Only the tally: the claim stays count-only, with the column's count.
	c = &event.Claim{Type: event.ClaimCount, Count: &n, Kind: "interception", Claimant: "RU", Accused: "UA",
		Text: "Дежурными средствами ПВО перехвачены беспилотники."}
	claimAllegations(r, f, c)
	if c.Type != event.ClaimCount || len(c.Allegations) != 1 || *c.Allegations[0].Count != 12 {
		t.Errorf("claim %s, allegations %+v", c.Type, c.Allegations)
	}
}

// An event's notes add the strikes its codes do not say, and only those.
func TestEventAllegations(t *testing.T) {
	r, err := allege.New(classify.New(), geo.Builtin(), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := Format{TextField: "notes"}
	for _, tc := range []struct {
		name, kind, text string
		want             string // kind and targets of the one allegation, "" for none
		inferred         string // a target added to a coded strike
	}{
		{"clash with facility damage", "ground.clash",
			"Russian forces clashed with Ukrainian forces at the plant; artillery shelling damaged buildings of the Zaporizhzhia nuclear power plant.",
			"strike.artillery energy.nuclear", ""},
		{"clashes near the plant", "ground.clash", "Clashes between Russian and Ukrainian forces near the power plant in Vuhlehirsk.", "", ""},
		{"military airfield infrastructure", "ground.clash", "Russian forces shelled the infrastructure of military airfields.", "", ""},
		{"consequence in a clash", "ground.clash", "Fighting near the village; shelling left the village without electricity and gas.",
			"strike.artillery energy.electricity?", ""},
		{"consequence on a coded strike", "strike.artillery", "Russian forces shelled Huliaipole; the town was left without electricity.",
			"", "energy.electricity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &event.Event{Kind: tc.kind, Text: tc.text}
			as := eventAllegations(r, f, ev)
			got := ""
			if len(as) > 0 {
				got = as[0].Kind
				for _, tg := range as[0].Targets {
					got += " " + tg.Term
					if tg.Inferred {
						got += "?"
					}
				}
			}
			if got != tc.want && !(tc.want == "" && len(as) == 0) {
				t.Errorf("allegations %q, want %q (%+v)", got, tc.want, as)
			}
			if tc.inferred != "" && (len(ev.Targets) == 0 || ev.Targets[0].Term != tc.inferred || !ev.Targets[0].Inferred) {
				t.Errorf("event targets %+v, want inferred %s", ev.Targets, tc.inferred)
			}
		})
	}
}
