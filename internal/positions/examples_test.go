package positions

import (
	"slices"
	"testing"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

const bundled = "../../examples/positions/ceasefire-2025.yaml"

// The common ground on 18 March 2025, the day of the Trump-Putin call, as
// the bundled positions give it. Why:
//
//   - four terms are rejected by someone, so no acceptable package holds
//     them: arms-pause and mobilisation-halt (Ukraine, 15 March: "a
//     ceasefire should not come with a 'but'"), european-force (Russia,
//     Zakharova 13 March) and us-backstop (US, Hegseth 12 February);
//   - the comprehensive 30-day ceasefire is accepted by Ukraine, the US, the
//     UK and the EU, but Russia's acceptance is conditional on verification
//     AND mobilisation-halt AND arms-pause (Kremlin readout, 18 March); two
//     of the three are rejected by Ukraine, so the condition is false in
//     every acceptable package and the ceasefire is left out;
//   - what remains is accepted by everyone who has spoken: the energy
//     moratorium (Russia and the US, 18 March), the Black Sea truce (the US;
//     Russia only "responded constructively", recorded as unknown),
//     verification (Russia, Ukraine, the US, the UK) and peacekeepers from
//     neutral states only (Russia's Medvedev, 16 March; no one else has
//     spoken). No condition bears on them, so all 2^4 = 16 subsets are
//     acceptable and there is one maximal package;
//   - sanctions-relief is idle: no one speaks of it before 25 March.
//
// The UK's support for a European force is conditional on a US backstop,
// which the US rules out: the test checks that the package adding the
// force is blocked by both Russia's rejection and that condition.
func TestBundledCommonGround18March2025(t *testing.T) {
	f, err := Load(bundled, strictyaml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	d, _ := ParseDate("2025-03-18")
	r, err := CommonGround(f.At(d))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"energy-moratorium", "black-sea", "verification", "neutral-peacekeepers"}
	if len(r.Packages) != 1 || !slices.Equal(r.Packages[0].Include, want) {
		t.Fatalf("packages %v, want one: %v", includes(r), want)
	}
	if r.Count != "16" || r.OnlyEmpty {
		t.Errorf("count %s only-empty %v, want 16 and false", r.Count, r.OnlyEmpty)
	}
	if !slices.Equal(r.Idle, []string{"sanctions-relief"}) {
		t.Errorf("idle %v", r.Idle)
	}
	if got := r.Packages[0].Exclude; !slices.Equal(got, []string{"ceasefire-30d", "arms-pause", "mobilisation-halt", "european-force", "us-backstop"}) {
		t.Errorf("excluded %v", got)
	}
	blocks := map[string][]string{}
	for _, b := range r.Blocked {
		for _, x := range b.Blocks {
			k := x.Party + " " + string(x.Stance)
			if x.Why != "" {
				k += " (" + x.Why + ")"
			}
			added := b.Include[len(b.Include)-1]
			for _, id := range b.Include {
				if !slices.Contains(want, id) {
					added = id
				}
			}
			if len(b.Include) == len(want)+1 {
				blocks[added] = append(blocks[added], k)
			}
		}
	}
	for term, wantBlocks := range map[string][]string{
		"ceasefire-30d":  {"RU conditional (verification included, mobilisation-halt excluded, arms-pause excluded)"},
		"arms-pause":     {"UA rejects"},
		"european-force": {"RU rejects", "GB conditional (us-backstop excluded)"},
		"us-backstop":    {"US rejects"},
	} {
		if !slices.Equal(blocks[term], wantBlocks) {
			t.Errorf("adding %s: blocked by %v, want %v", term, blocks[term], wantBlocks)
		}
	}
}

// On 26 March the EU rules out sanctions relief, which Russia made the
// condition of the Black Sea truce the day before: the truce leaves the
// common ground.
func TestBundledTimelineBlackSea(t *testing.T) {
	f, err := Load(bundled, strictyaml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	steps, err := f.Timeline()
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		if st.Date == "2025-03-26" {
			if !slices.Equal(st.Lost, []string{"black-sea", "sanctions-relief"}) {
				t.Errorf("26 March lost %v", st.Lost)
			}
			return
		}
	}
	t.Error("no step on 2025-03-26")
}
