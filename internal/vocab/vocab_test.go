package vocab

import (
	"encoding/json"
	"testing"
)

func TestRefSpelling(t *testing.T) {
	for _, c := range []struct {
		text string
		want Ref
	}{
		{"event/12", EventRef(12)},
		{"claim/7#2", Ref{Kind: KindClaim, ID: 7, Part: 2}},
		{"finding/3", FindingRef(3)},
		{"incident/4", IncidentRef(4)},
	} {
		got, err := ParseRef(c.text)
		if err != nil || got != c.want || got.String() != c.text {
			t.Errorf("ParseRef(%q) = %v, %v; want %v", c.text, got, err, c.want)
		}
		b, _ := json.Marshal(map[string]Ref{"r": got})
		if string(b) != `{"r":"`+c.text+`"}` {
			t.Errorf("JSON of %s: %s", c.text, b)
		}
		var back map[string]Ref
		if err := json.Unmarshal(b, &back); err != nil || back["r"] != got {
			t.Errorf("JSON round trip of %s: %v %v", c.text, back, err)
		}
	}
	for _, bad := range []string{"", "event", "event/", "event/0", "event/-1", "event/+1", "event/x", "user/1", "finding/3#1", "claim/7#0", "claim/7#", "claim/7#+1", "event/1/2"} {
		if r, err := ParseRef(bad); err == nil {
			t.Errorf("ParseRef(%q) = %v, want an error", bad, r)
		}
	}
	if _, err := ParseRef("incident/4", KindFinding); err == nil {
		t.Error("ParseRef accepted a kind it was not asked for")
	}
}

func TestParseWord(t *testing.T) {
	if s, err := Parse("status", "confirmed", Statuses()); err != nil || s != StatusConfirmed {
		t.Errorf("Parse confirmed: %v %v", s, err)
	}
	if _, err := Parse("grade", "excellent", Grades()); err == nil || err.Error() != `unknown grade "excellent": use one of confirmed, fair, weak, contested, discounted` {
		t.Errorf("Parse excellent: %v", err)
	}
}
