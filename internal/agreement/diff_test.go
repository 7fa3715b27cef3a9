package agreement

import (
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string) *Agreement {
	t.Helper()
	a, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse:\n%v", err)
	}
	return a
}

func TestDiffTermByTerm(t *testing.T) {
	v1 := readMinimal(t)
	v2 := strings.NewReplacer(
		"version: 1\n", "version: 2\n",
		"targets: [energy]", "targets: [energy.electricity, energy.refinery]",
		"duration: 30d", "duration: 45d",
	).Replace(v1)
	// Reordering parties is not a change.
	v2 = strings.Replace(v2, `  - id: RU
    name: Russian Federation
    aliases:
      acled: ["Military Forces of Russia (2000-)"]
  - id: UA
    name: Ukraine
`, `  - id: UA
    name: Ukraine
  - id: RU
    name: Russian Federation
    aliases:
      acled: ["Military Forces of Russia (2000-)"]
`, 1)
	changes, err := Diff(mustParse(t, v1), mustParse(t, v2))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.String())
	}
	want := []string{
		"~ commitments[c1].prohibited.targets: [energy] -> [energy.electricity, energy.refinery]",
		"~ resolved[agreed].window.end_utc: 2025-04-16T21:00:00Z -> 2025-05-01T21:00:00Z",
		"~ version: 1 -> 2",
		"~ window.duration: 30d -> 45d",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckEvolution(t *testing.T) {
	v1 := readMinimal(t)
	extra := "  - id: c2\n    title: No ground attacks\n    bound: [RU]\n    prohibited: {kinds: [ground]}\n    source: s1\n"
	old := mustParse(t, v1+extra)

	dropped := mustParse(t, strings.Replace(v1, "version: 1\n", "version: 2\n", 1))
	if got := CheckEvolution(old, dropped); len(got) != 1 || !strings.Contains(got[0], `commitment "c2" of version 1 is gone in version 2`) {
		t.Errorf("dropped commitment: %v", got)
	}

	withdrawn := strings.Replace(v1, "version: 1\n", "version: 2\n", 1) + extra + "    withdrawn: {version: 2, source: s1}\n"
	w := mustParse(t, withdrawn)
	if got := CheckEvolution(old, w); len(got) != 0 {
		t.Errorf("withdrawing is allowed: %v", got)
	}
	reused := mustParse(t, strings.Replace(v1, "version: 1\n", "version: 3\n", 1)+extra)
	if got := CheckEvolution(w, reused); len(got) != 1 || !strings.Contains(got[0], `commitment id "c2" was withdrawn in version 2 and is reused in version 3`) {
		t.Errorf("reused id: %v", got)
	}
	if got := CheckEvolution(old, old); len(got) != 1 || !strings.Contains(got[0], "version 1 does not follow version 1") {
		t.Errorf("same version: %v", got)
	}
}

func TestSchemaListsVocabularies(t *testing.T) {
	b, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"energy.electricity.transmission"`, `"strike.drone"`, `"counterparty_may_withdraw"`, `"additionalProperties": false`, `"time_zone"`} {
		if !strings.Contains(s, want) {
			t.Errorf("schema lacks %s", want)
		}
	}
}

// Compare is the diff with the evolution warnings, and an empty list (not
// null) when nothing changed.
func TestCompare(t *testing.T) {
	v1 := readMinimal(t)
	old := mustParse(t, v1)
	cur := mustParse(t, strings.NewReplacer("version: 1\n", "version: 2\n", "duration: 30d", "duration: 45d").Replace(v1))
	c, err := Compare(old, cur)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != old.ID || c.From != 1 || c.To != 2 || len(c.Changes) != 3 || len(c.Warnings) != 0 {
		t.Errorf("v1 -> v2: %+v", c)
	}
	same, err := Compare(old, old)
	if err != nil {
		t.Fatal(err)
	}
	if same.Changes == nil || len(same.Changes) != 0 || len(same.Warnings) != 1 {
		t.Errorf("v1 -> v1: %+v", same)
	}
}
