package sqlstore

import (
	"github.com/truce-monitor/truce/internal/jsonstr"

	"github.com/truce-monitor/truce/internal/event"
)

// The JSON columns of every event are encoded here by hand: encoding/json's
// reflection was a tenth of a bulk import's CPU. The output decodes with
// encoding/json to what it would have written: the same field names and
// omitempty rules, nil slices as null, invalid UTF-8 as U+FFFD.

func appendActors(b []byte, as []event.Actor) []byte {
	if as == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range as {
		if i > 0 {
			b = append(b, ',')
		}
		a := &as[i]
		b = append(b, `{"name":`...)
		b = jsonstr.Append(b, a.Name)
		b = append(b, `,"role":`...)
		b = jsonstr.Append(b, a.Role)
		if a.Party != "" {
			b = append(b, `,"party":`...)
			b = jsonstr.Append(b, a.Party)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendReasons(b []byte, rs []event.Reason) []byte {
	if rs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendReason(b, &rs[i])
	}
	return append(b, ']')
}

func appendReason(b []byte, r *event.Reason) []byte {
	b = append(b, `{"term":`...)
	b = jsonstr.Append(b, r.Term)
	b = append(b, `,"field":`...)
	b = jsonstr.Append(b, r.Field)
	b = append(b, `,"match":`...)
	b = jsonstr.Append(b, r.Match)
	if r.Rule != "" {
		b = append(b, `,"rule":`...)
		b = jsonstr.Append(b, r.Rule)
	}
	if r.Inferred {
		b = append(b, `,"inferred":true`...)
	}
	return append(b, '}')
}
