package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/compliance"
)

// maxEntryText is how much of a record's text a daily report quotes.
const maxEntryText = 320

// dailyDocument lays the daily report out: area by area, each entry one
// paragraph that starts with its time and its word.
func dailyDocument(d *compliance.Daily) document {
	loc, err := time.LoadLocation(d.Zone)
	if err != nil {
		loc = time.UTC
	}
	doc := document{Title: fmt.Sprintf("Daily report, %s %s (%s time): %s", d.AsOf.In(loc).Format("2 January 2006"), d.AsOf.In(loc).Format("15:04"), d.Zone, d.Title)}
	total := 0
	var words []string
	for _, w := range []compliance.Word{compliance.Recorded, compliance.Alleged, compliance.Corroborated, compliance.Unverified, compliance.Refuted} {
		if n := d.Words[w]; n > 0 {
			words = append(words, fmt.Sprintf("%d %s", n, w))
			total += n
		}
	}
	summary := "Nothing under the agreement since the previous report."
	if total > 0 {
		summary = fmt.Sprintf("%d acts under the agreement since the previous report: %s.", total, strings.Join(words, ", "))
	}
	doc.Lead = []string{
		fmt.Sprintf("Agreement %s, version %d. What started from %s to %s, %s time.", d.Agreement, d.Version,
			d.Since.In(loc).Format("2 January 15:04"), d.AsOf.In(loc).Format("2 January 15:04"), d.Zone),
		summary,
		"Recorded: a source reported it; alleged: a party claimed it; corroborated: review corroborated or confirmed it; " +
			"could not be verified: review could not verify or attribute it; refuted: review found it did not happen as reported.",
	}
	for _, a := range d.Areas {
		s := section{Heading: a.Area, Level: 2}
		for _, e := range a.Entries {
			text := e.Text
			if r := []rune(text); len(r) > maxEntryText {
				text = string(r[:maxEntryText]) + "..."
			}
			who := "against " + e.Accused
			if e.Claimant != "" {
				who = e.Claimant + " against " + e.Accused
			}
			refs := make([]string, len(e.Findings))
			for i, f := range e.Findings {
				refs[i] = f.String()
			}
			when := e.Time.In(loc).Format("2 Jan 15:04")
			if e.DayOnly {
				when = e.Time.In(loc).Format("2 Jan") + " (day)"
			}
			s.Blocks = append(s.Blocks, block{Text: fmt.Sprintf("%s, %s (%s): %s [%s; %s; readings %s; %s]",
				when, e.Word, who, text, e.Record, e.Source, strings.Join(e.Readings, ", "), strings.Join(refs, ", "))})
		}
		doc.Sections = append(doc.Sections, s)
	}
	return doc
}
