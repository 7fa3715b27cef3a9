package match

import (
	"testing"

	"github.com/truce-monitor/truce/internal/agreement"
)

// Obligations yield no findings: only the prohibition is evaluated, and an
// agreement of obligations alone matches nothing, not even as a near miss.
func TestObligationsAreNotMatched(t *testing.T) {
	const src = `format: 1
id: obligations
version: 1
title: Obligations
status: in_force
parties:
  - {id: RU, name: Russia, aliases: {acled: ["Military Forces of Russia (2000-)"]}}
  - {id: UA, name: Ukraine, aliases: {acled: ["Military Forces of Ukraine (2019-)"]}}
sources: [{id: s1, title: Statement, date: 2025-03-18}]
window: {start: 2025-03-18T00:00, time_zone: Europe/Moscow, duration: 30d, source: s1}
commitments:
  - id: restore-power
    title: Restore power to the substation
    bound: [RU, UA]
    obligation: {action: Let repair crews reach the substation.}
    implementation: [{date: 2025-03-20, level: minimal, source: s1, note: One crew let through.}]
    source: s1
`
	only, err := agreement.Parse("o.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ev := strike(at("2025-03-20T10:00:00Z"), sloviansk, ruForces, substation)
	if got := matcher(t, Options{}, only).Event(ev, nil); len(got) != 0 {
		t.Errorf("an obligation matched: %q", summaries(got))
	}
	both, err := agreement.Parse("b.yaml", []byte(src+`  - id: energy
    title: No strikes on energy
    bound: [RU, UA]
    prohibited: {kinds: [strike], targets: [energy]}
    source: s1
`))
	if err != nil {
		t.Fatal(err)
	}
	check(t, matcher(t, Options{}, both).Event(ev, nil), "agreed/energy accused=RU candidate time=inside")
}
