package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
)

// decodeCases are JSON columns as the encoders and PostgreSQL's JSONB write
// them, and forms only encoding/json takes.
var decodeCases = []string{
	`null`, `[]`, ` [ ] `,
	`[{"name":"Military Forces of Russia (2000-)","role":"actor1","party":"RU"},{"name":"Civilians (Ukraine)","role":"actor2"}]`,
	`[{"name": "Military Forces of Russia (2000-)", "role": "actor1", "party": "RU"}]`, // JSONB
	`[{"party":"RU","role":"actor1","name":"x"}]`,
	`[{"term":"energy.electricity","field":"notes","match":"substation","rule":"energy-words"}]`,
	`[{"rule": "r", "term": "energy.electricity", "field": "notes", "match": "substation"}]`, // JSONB order
	`[{"name":"quote \" backslash \\ slash \/ \b\f\n\r\t \u00e9 \u2028 \ud83d\ude00 Слов'янськ"}]`,
	`[{"name":"a","name":"b"}]`,        // the last one wins
	`[{"Name":"cased key"}]`,           // encoding/json matches it case-insensitively
	`[{"name":"x","extra":"unknown"}]`, // ignored by encoding/json
	`[{"name":null}]`, `[null]`, `[{"name":1}]`, `[{"name":"lone \ud800 surrogate"}]`,
	"[{\"name\":\"bad utf-8 \xff\"}]", `[{"name":"\u0000"}]`,
	`[{"name":"x"},]`, `[{"name":"x"}`, `{"name":"x"}`, `[{"name":"x"}] trailing`, `["x"]`, ``,
}

// The hand decoders give what encoding/json gives, or fail where it does.
func TestJSONDecodersMatchEncodingJSON(t *testing.T) {
	for _, in := range decodeCases {
		checkDecoders(t, []byte(in))
	}
}

func FuzzJSONDecoders(f *testing.F) {
	for _, in := range decodeCases {
		f.Add([]byte(in))
	}
	f.Fuzz(checkDecoders)
}

func checkDecoders(t *testing.T, in []byte) {
	t.Helper()
	var wantActors []event.Actor
	wantErr := json.Unmarshal(in, &wantActors)
	gotActors, err := decodeActors(in)
	if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(gotActors, wantActors) {
		t.Errorf("actors %q: got %#v, %v; encoding/json %#v, %v", in, gotActors, err, wantActors, wantErr)
	}
	var wantReasons []event.Reason
	wantErr = json.Unmarshal(in, &wantReasons)
	gotReasons, err := decodeReasons(in)
	if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(gotReasons, wantReasons) {
		t.Errorf("reasons %q: got %#v, %v; encoding/json %#v, %v", in, gotReasons, err, wantReasons, wantErr)
	}
	if len(in) > 2 && in[0] == '[' { // one reason: the array's first element alone
		var want, got event.Reason
		d := jsonDec{b: in, i: 1}
		d.space()
		obj := in[d.i:]
		if end := indexObjectEnd(obj); end > 0 {
			obj = obj[:end]
			wantErr = json.Unmarshal(obj, &want)
			err = decodeReason(obj, &got)
			if (err != nil) != (wantErr != nil) || err == nil && got != want {
				t.Errorf("reason %q: got %#v, %v; encoding/json %#v, %v", obj, got, err, want, wantErr)
			}
		}
	}
}

// indexObjectEnd is the end of a leading {...} with no nested braces, or 0.
func indexObjectEnd(b []byte) int {
	if len(b) == 0 || b[0] != '{' {
		return 0
	}
	for i, c := range b {
		if c == '}' {
			return i + 1
		}
	}
	return 0
}

// What the encoders write comes back through the fast path.
func TestJSONRoundTripFastPath(t *testing.T) {
	actors := []event.Actor{{Name: "ünïcödé \"q\" \\ \n", Role: "actor1", Party: "RU"}, {Name: "b", Role: "actor2"}}
	reasons := []event.Reason{{Term: "energy.electricity", Field: "notes", Match: "sub\tstation", Rule: "r"}, {Term: "t"}}
	if got, ok := fastActors(appendActors(nil, actors)); !ok || !reflect.DeepEqual(got, actors) {
		t.Errorf("actors: %#v, %v", got, ok)
	}
	if got, ok := fastReasons(appendReasons(nil, reasons)); !ok || !reflect.DeepEqual(got, reasons) {
		t.Errorf("reasons: %#v, %v", got, ok)
	}
}

func BenchmarkDecodeEventJSON(b *testing.B) {
	actors := appendActors(nil, []event.Actor{{Name: "Military Forces of Russia (2000-)", Role: "actor1", Party: "ru"}, {Name: "Civilians (Ukraine)", Role: "actor2"}})
	reasons := appendReasons(nil, []event.Reason{{Term: "energy.substation", Field: "notes", Match: "substation", Rule: "energy-words"}})
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeActors(actors); err != nil {
				b.Fatal(err)
			}
			if _, err := decodeReasons(reasons); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var as []event.Actor
			var rs []event.Reason
			if err := json.Unmarshal(actors, &as); err != nil {
				b.Fatal(err)
			}
			if err := json.Unmarshal(reasons, &rs); err != nil {
				b.Fatal(err)
			}
		}
	})
}
