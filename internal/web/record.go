package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// recordData is what a record's page shows: the event's or the claim's
// fields in one shape.
type recordData struct {
	*app.RecordView
	Source, SourceID string
	Version          int
	Deleted          bool
	Kind             string
	KindReason       *event.Reason
	Time             event.Span
	Places           []event.Place
	Text             string
	Targets          []event.Reason
	Allegations      []event.Allegation
	Raw              string // the source's fields as read, indented
	// A claim's: its type, who claims, whom it accuses, when published,
	// what it answers.
	Claim *event.Claim
	Event *event.Event
}

// recordPage: GET /records/{kind}/{id} (event/12, claim/7), one record for
// a reader: source, kind, time and its precision, place by name (codes in
// the detail), text, the words that gave its kind and categories, the
// allegations read from its text, its findings and the incident holding
// it; the raw fields one click away. A viewer sees it only through a
// published finding or incident (app.RecordSeen).
func (h *Handler) recordPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	kind := vocab.Kind(r.PathValue("kind"))
	if kind != vocab.KindEvent && kind != vocab.KindClaim {
		return &app.Error{Kind: app.KindNotFound, Err: errors.New("no record kind " + strconv.Quote(string(kind)) + ": records are events or claims")}
	}
	id, err := pathID(r, string(kind))
	if err != nil {
		return err
	}
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	rv, err := ap.RecordSeen(r.Context(), string(kind)+"/"+strconv.FormatInt(id, 10))
	if err != nil {
		return err
	}
	d := recordData{RecordView: rv, Event: rv.Event, Claim: rv.Claim}
	var raw json.RawMessage
	switch {
	case rv.Event != nil:
		e := rv.Event
		d.Source, d.SourceID, d.Version, d.Deleted = e.Source, e.SourceID, e.Version, e.Deleted
		d.Kind, d.KindReason, d.Time, d.Places, d.Text = e.Kind, e.KindReason, e.Time, []event.Place{e.Place}, e.Text
		d.Targets, d.Allegations, raw = e.Targets, e.Allegations, e.Raw
	case rv.Claim != nil:
		c := rv.Claim
		d.Source, d.SourceID, d.Version, d.Deleted = c.Source, c.SourceID, c.Version, c.Deleted
		d.Kind, d.Time, d.Places, d.Text = c.Kind, c.Time, c.Places, c.Text
		d.Targets, d.Allegations, raw = c.Targets, c.Allegations, c.Raw
	}
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") == nil {
		d.Raw = buf.String()
	} else {
		d.Raw = string(raw)
	}
	h.render(w, r, http.StatusOK, "record", view{Title: rv.Record.Record.String(), Here: "findings", Who: who, Data: d})
	return nil
}
