package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
)

// The hand-written encoders must decode to what encoding/json would give.
func TestJSONEncodersMatchEncodingJSON(t *testing.T) {
	odd := []string{
		"", "plain", `quote " and \ backslash`, "line\nbreak\r\ttab", "ctl \x00\x01\x1f\x7f",
		"ünïcödé — Слов'янськ", "\u2028\u2029 <b>&amp;", "bad utf-8 \xff\xfe end", "trailing \xe2\x82",
	}
	var actors []event.Actor
	var reasons []event.Reason
	for i, s := range odd {
		actors = append(actors, event.Actor{Name: s, Role: odd[(i+1)%len(odd)], Party: odd[(i+2)%len(odd)]})
		reasons = append(reasons, event.Reason{Term: s, Field: odd[(i+3)%len(odd)], Match: s, Rule: odd[(i+4)%len(odd)]})
	}
	for _, tt := range []struct {
		name string
		v    any
		got  []byte
	}{
		{"actors", actors, appendActors(nil, actors)},
		{"nil actors", []event.Actor(nil), appendActors(nil, nil)},
		{"no actors", []event.Actor{}, appendActors(nil, []event.Actor{})},
		{"reasons", reasons, appendReasons(nil, reasons)},
		{"nil reasons", []event.Reason(nil), appendReasons(nil, nil)},
		{"no reasons", []event.Reason{}, appendReasons(nil, []event.Reason{})},
		{"reason", &reasons[0], appendReason(nil, &reasons[0])},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid(tt.got) {
				t.Fatalf("not JSON: %s", tt.got)
			}
			want, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			typ := reflect.TypeOf(tt.v)
			fromOurs, fromStd := reflect.New(typ), reflect.New(typ)
			if err := json.Unmarshal(tt.got, fromOurs.Interface()); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, fromStd.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fromOurs.Interface(), fromStd.Interface()) {
				t.Errorf("decodes differently:\n ours %s\n std  %s", tt.got, want)
			}
		})
	}
}

func BenchmarkAppendEventJSON(b *testing.B) {
	actors := []event.Actor{{Name: "Military Forces of Russia (2000-)", Role: "actor1", Party: "ru"}, {Name: "Civilians (Ukraine)", Role: "actor2"}}
	reasons := []event.Reason{{Term: "energy.substation", Field: "notes", Match: "substation", Rule: "energy-words"}}
	var buf []byte
	for b.Loop() {
		buf = appendActors(buf[:0], actors)
		buf = appendReasons(buf, reasons)
		buf = appendReason(buf, &reasons[0])
	}
}
