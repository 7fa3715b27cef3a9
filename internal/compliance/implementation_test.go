package compliance

import (
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
)

func obligations() *agreement.Agreement {
	step := func(date string, l agreement.Level, src string) agreement.Step {
		return agreement.Step{Date: date, Level: l, Source: src, Note: "step of " + date}
	}
	return &agreement.Agreement{
		Sources: []agreement.Source{{ID: "s1", Title: "First", Date: "2025-03-25"}, {ID: "s2", Title: "Second", Date: "2025-04-10"}},
		Commitments: []agreement.Commitment{
			{ID: "energy", Prohibited: agreement.Conduct{Kinds: []string{"strike"}}},
			{ID: "exchange", Title: "Exchange prisoners", Bound: []string{"RU", "UA"},
				Obligation: &agreement.Obligation{Action: "Exchange prisoners of war.", Due: "2025-04-05"},
				Implementation: []agreement.Step{
					step("2025-03-25", agreement.LevelNotStarted, "s1"),
					step("2025-04-01", agreement.LevelIntermediate, "s1"),
					step("2025-04-10", agreement.LevelMinimal, "s2"),
					step("2025-04-20", agreement.LevelFull, "s2"),
				}},
			{ID: "monitoring", Title: "Set up monitoring", Bound: []string{"US"},
				Obligation: &agreement.Obligation{Action: "Set up a monitoring mechanism."}},
			{ID: "old", Obligation: &agreement.Obligation{Action: "x"}, Withdrawn: &agreement.Withdrawal{Version: 1, Source: "s1"}},
		},
	}
}

// The level on a day is the last step's on or before it, in the
// agreement's zone; later steps are left out; prohibitions and withdrawn
// obligations are not scored.
func TestImplementation(t *testing.T) {
	kyiv, _ := time.LoadLocation("Europe/Kyiv")
	// The period ends at midnight Kyiv time on 11 April: its last day is 10 April.
	to := time.Date(2025, 4, 11, 0, 0, 0, 0, kyiv)
	got := Implementation(obligations(), to, kyiv)
	if len(got) != 2 || got[0].Commitment != "exchange" || got[1].Commitment != "monitoring" {
		t.Fatalf("scores %+v", got)
	}
	ex := got[0]
	if ex.AsOf != "2025-04-10" || ex.Level != agreement.LevelMinimal || !ex.Overdue || len(ex.Steps) != 3 {
		t.Fatalf("exchange %+v", ex)
	}
	changes := []string{"first", "up", "down"}
	for i, st := range ex.Steps {
		if st.Change != changes[i] {
			t.Errorf("step %d change %s, want %s", i, st.Change, changes[i])
		}
	}
	if ev := ex.Steps[2].Evidence; ev.ID != "s2" || ev.Title != "Second" || ex.Steps[2].Note != "step of 2025-04-10" {
		t.Errorf("evidence %+v", ex.Steps[2])
	}
	if m := got[1]; m.Level != agreement.LevelNotStarted || m.Overdue || len(m.Steps) != 0 || m.Steps == nil {
		t.Errorf("an obligation without steps is not started, with an empty list: %+v", m)
	}

	// A day earlier the 10 April step is not yet counted.
	early := Implementation(obligations(), to.Add(-24*time.Hour), kyiv)
	if early[0].Level != agreement.LevelIntermediate || early[0].AsOf != "2025-04-09" {
		t.Errorf("as of 9 April: %+v", early[0])
	}
	// Full by the end: not overdue any more.
	late := Implementation(obligations(), to.AddDate(0, 1, 0), kyiv)
	if late[0].Level != agreement.LevelFull || late[0].Overdue {
		t.Errorf("as of May: %+v", late[0])
	}
	if Implementation(&agreement.Agreement{Commitments: obligations().Commitments[:1]}, to, kyiv) != nil {
		t.Error("an agreement of prohibitions has scores")
	}
}
