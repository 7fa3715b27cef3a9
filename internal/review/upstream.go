package review

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Records is what Upstream reads: records with their superseded versions.
type Records interface {
	GetEvent(ctx context.Context, source, sourceID string) (event.Event, error)
	EventHistory(ctx context.Context, source, sourceID string) ([]event.Event, error)
	GetClaim(ctx context.Context, source, sourceID string) (event.Claim, error)
	ClaimHistory(ctx context.Context, source, sourceID string) ([]event.Claim, error)
}

// Change is one field of a record that differs between two versions.
type Change struct {
	Field  string `json:"field"`
	Judged string `json:"judged"`
	Now    string `json:"now"`
}

// UpstreamChange is how a record changed upstream since a version of it was
// judged.
type UpstreamChange struct {
	Type          vocab.Kind `json:"type"` // event or claim
	Source        string     `json:"source"`
	SourceID      string     `json:"source_id"`
	JudgedVersion int        `json:"judged_version"`
	Version       int        `json:"version"` // current
	Deleted       bool       `json:"deleted"` // the current version is a deletion upstream
	Changes       []Change   `json:"changes"`
}

// Changed reports whether the record has a newer version than the judged one.
func (u UpstreamChange) Changed() bool { return u.Version != u.JudgedVersion }

// Upstream compares the version judged of a record with its current one.
// A judged version that is the current one gives no changes.
func Upstream(ctx context.Context, r Records, recType vocab.Kind, source, sourceID string, judged int) (UpstreamChange, error) {
	return compareVersions(ctx, r, recType, source, sourceID, func(int) int { return judged })
}

// LastChange compares a record's current version with the one before it:
// the last change upstream, none for a record still at version 1. It is
// what an incident shows of its members, which are regrouped at every build
// and so have no version judged of their own.
func LastChange(ctx context.Context, r Records, recType vocab.Kind, source, sourceID string) (UpstreamChange, error) {
	return compareVersions(ctx, r, recType, source, sourceID, func(current int) int { return max(1, current-1) })
}

// compareVersions compares the current version of a record with the one
// judgedOf picks, given the current version number.
func compareVersions(ctx context.Context, r Records, recType vocab.Kind, source, sourceID string, judgedOf func(current int) int) (UpstreamChange, error) {
	u := UpstreamChange{Type: recType, Source: source, SourceID: sourceID}
	var old, now []field
	switch recType {
	case vocab.KindEvent:
		cur, err := r.GetEvent(ctx, source, sourceID)
		if err != nil {
			return u, fmt.Errorf("event %s/%s: %w", source, sourceID, err)
		}
		u.Version, u.Deleted, now = cur.Version, cur.Deleted, eventFields(&cur)
		if u.JudgedVersion = judgedOf(cur.Version); u.JudgedVersion == cur.Version {
			return u, nil
		}
		hist, err := r.EventHistory(ctx, source, sourceID)
		if err != nil {
			return u, fmt.Errorf("history of event %s/%s: %w", source, sourceID, err)
		}
		i := slices.IndexFunc(hist, func(e event.Event) bool { return e.Version == u.JudgedVersion })
		if i < 0 {
			return u, fmt.Errorf("event %s/%s has no version %d", source, sourceID, u.JudgedVersion)
		}
		old = eventFields(&hist[i])
	case vocab.KindClaim:
		cur, err := r.GetClaim(ctx, source, sourceID)
		if err != nil {
			return u, fmt.Errorf("claim %s/%s: %w", source, sourceID, err)
		}
		u.Version, u.Deleted, now = cur.Version, cur.Deleted, claimFields(&cur)
		if u.JudgedVersion = judgedOf(cur.Version); u.JudgedVersion == cur.Version {
			return u, nil
		}
		hist, err := r.ClaimHistory(ctx, source, sourceID)
		if err != nil {
			return u, fmt.Errorf("history of claim %s/%s: %w", source, sourceID, err)
		}
		i := slices.IndexFunc(hist, func(c event.Claim) bool { return c.Version == u.JudgedVersion })
		if i < 0 {
			return u, fmt.Errorf("claim %s/%s has no version %d", source, sourceID, u.JudgedVersion)
		}
		old = claimFields(&hist[i])
	default:
		return u, fmt.Errorf("record type %q is neither %s nor %s", recType, vocab.KindEvent, vocab.KindClaim)
	}
	u.Changes = diff(old, now)
	return u, nil
}

// field is one named value of a record, as text.
type field struct{ name, value string }

// diff lists the fields whose values differ, in a's order, then those only
// b has.
func diff(a, b []field) []Change {
	bv := make(map[string]string, len(b))
	for _, f := range b {
		bv[f.name] = f.value
	}
	seen := make(map[string]bool, len(a))
	var out []Change
	for _, f := range a {
		seen[f.name] = true
		if now := bv[f.name]; now != f.value {
			out = append(out, Change{Field: f.name, Judged: f.value, Now: now})
		}
	}
	for _, f := range b {
		if !seen[f.name] && f.value != "" {
			out = append(out, Change{Field: f.name, Now: f.value})
		}
	}
	return out
}

func eventFields(e *event.Event) []field {
	fs := []field{
		{"deleted", strconv.FormatBool(e.Deleted)},
		{"time", spanText(e.Time)},
	}
	fs = append(fs, placeFields("place", e.Place)...)
	var actors []string
	for _, a := range e.Actors {
		actors = append(actors, strings.TrimSpace(a.Name+" ("+a.Role+") "+a.Party))
	}
	fs = append(fs,
		field{"actors", strings.Join(actors, "; ")},
		field{"kind", e.Kind},
		field{"targets", reasonTerms(e.Targets)},
		field{"fatalities", intText(e.Fatalities)},
		field{"text", e.Text},
	)
	return append(fs, rawFields(e.Raw)...)
}

func claimFields(c *event.Claim) []field {
	fs := []field{
		{"deleted", strconv.FormatBool(c.Deleted)},
		{"type", string(c.Type)},
		{"claimant", c.Claimant},
		{"accused", c.Accused},
		{"published", timeText(c.Published)},
		{"time", spanText(c.Time)},
	}
	for i, p := range c.Places {
		fs = append(fs, placeFields(fmt.Sprintf("places[%d]", i), p)...)
	}
	fs = append(fs,
		field{"kind", c.Kind},
		field{"targets", reasonTerms(c.Targets)},
		field{"count", intText(c.Count)},
		field{"answers", c.Answers},
		field{"text", c.Text},
		field{"url", c.URL},
	)
	return append(fs, rawFields(c.Raw)...)
}

func placeFields(prefix string, p event.Place) []field {
	return []field{
		{prefix + ".name", p.Name},
		{prefix + ".country", p.Country},
		{prefix + ".admin1", p.Admin1},
		{prefix + ".admin2", p.Admin2},
		{prefix + ".admin3", p.Admin3},
		{prefix + ".lat_lon", latLon(p.Lat, p.Lon)},
		{prefix + ".precision", string(p.Precision)},
	}
}

// rawFields are the source record's own fields, so that an edit upstream
// shows in the words of the source even where truce reads nothing from it.
func rawFields(raw json.RawMessage) []field {
	var m map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		if len(raw) == 0 {
			return nil
		}
		return []field{{"raw", string(raw)}}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fs := make([]field, 0, len(keys))
	for _, k := range keys {
		fs = append(fs, field{"raw." + k, jsonText(m[k])})
	}
	return fs
}

// jsonText is a JSON value as a person reads it: strings unquoted, the
// rest compacted.
func jsonText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}

func spanText(s event.Span) string {
	return timeText(s.Start) + " to " + timeText(s.End) + " (" + string(s.Precision) + ")"
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func intText(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func latLon(lat, lon *float64) string {
	if lat == nil || lon == nil {
		return ""
	}
	return strconv.FormatFloat(*lat, 'f', -1, 64) + ", " + strconv.FormatFloat(*lon, 'f', -1, 64)
}

func reasonTerms(rs []event.Reason) string {
	terms := make([]string, len(rs))
	for i, r := range rs {
		terms[i] = r.Term
	}
	return strings.Join(terms, ", ")
}
