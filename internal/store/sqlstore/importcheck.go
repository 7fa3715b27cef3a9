package sqlstore

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/event"
)

// checkEvent says what makes e unfit for a batch of source, or "".
func checkEvent(e *event.Event, source string) string {
	if why := checkRecord(e.Source, e.SourceID, source, e.Hash, e.Raw, e.Time); why != "" {
		return why
	}
	if why := badText(e.Text, e.Kind, e.Place.Name, e.Place.Country, e.Place.Admin1, e.Place.Admin1ID, e.Place.Admin2, e.Place.Admin3); why != "" {
		return why
	}
	return badActors(e.Actors)
}

// badText says why one of the texts cannot be stored alike on both stores:
// bytes that are not UTF-8 (PostgreSQL refuses them and fails the batch,
// SQLite keeps them raw) or a NUL byte (PostgreSQL refuses it).
func badText(texts ...string) string {
	for _, s := range texts {
		if !utf8.ValidString(s) {
			return fmt.Sprintf("text that is not UTF-8: %q", s)
		}
		if strings.IndexByte(s, 0) >= 0 {
			return fmt.Sprintf("text with a NUL byte: %q", s)
		}
	}
	return ""
}

func badActors(as []event.Actor) string {
	for _, a := range as {
		if why := badText(a.Name, a.Role, a.Party); why != "" {
			return why
		}
	}
	return ""
}

func badPlaces(ps []event.Place) string {
	for _, p := range ps {
		if why := badText(p.Name, p.Country, p.Admin1, p.Admin1ID, p.Admin2, p.Admin3); why != "" {
			return why
		}
	}
	return ""
}

// checkClaim says what makes c unfit for a batch of source, or "".
func checkClaim(c *event.Claim, source string) string {
	if why := checkRecord(c.Source, c.SourceID, source, c.Hash, c.Raw, c.Time); why != "" {
		return why
	}
	if why := badText(c.Text, c.Claimant, c.Accused, c.Kind, c.Answers, c.URL); why != "" {
		return why
	}
	if why := badPlaces(c.Places); why != "" {
		return why
	}
	switch {
	case c.Type != event.ClaimAllegation && c.Type != event.ClaimCount && c.Type != event.ClaimDenial:
		return fmt.Sprintf("claim type %q is not allegation, count or denial", c.Type)
	case c.Claimant == "":
		return "no claimant"
	}
	return ""
}

// checkRecord checks what events and claims share. Raw is not parsed:
// that would cost more than the rest of an import. PostgreSQL refuses raw
// that is not JSON and fails the batch; SQLite keeps it.
func checkRecord(recSource, sourceID, source, hash string, raw []byte, span event.Span) string {
	switch {
	case sourceID == "":
		return "no source id"
	case recSource != source:
		return fmt.Sprintf("source is not the batch's %q", source)
	case hash == "":
		return "no hash"
	case len(raw) == 0:
		return "no raw record"
	case span.End.Before(span.Start):
		return "time span ends before it starts"
	case !utf8.Valid(raw) || bytes.IndexByte(raw, 0) >= 0 || bytes.Contains(raw, []byte(`\u0000`)):
		// The raw record must be what its hash covers, byte for byte, on
		// both stores; PostgreSQL's jsonb holds no NUL.
		return "raw record that is not UTF-8 or holds a NUL"
	}
	return badText(sourceID, hash)
}
