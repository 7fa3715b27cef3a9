package report

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/vocab"
)

// ComplianceMarkdown writes the compliance report as Markdown: the
// summary per reading and party, by review status (never summed across
// statuses), incident grade, target category and region; the releases;
// the sources' coverage; and the annex every number is counted from.
func ComplianceMarkdown(w io.Writer, r *compliance.Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	loc := reportZone(r)
	p("# Compliance report: %s\n\n", cell(r.Title))
	p("Agreement `%s`, version %d. Records from %s to %s, %s time. Generated %s.\n\n",
		r.Agreement, r.Version, localDay(r.From, loc), localDay(r.To, loc), loc, r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"))
	p("Counted: the candidate and ambiguous findings of the period, each at its review status. " +
		"Confirmed, corroborated and alleged findings are different things and are never added together. " +
		"Findings whose record straddles an edge of a reading's window are counted apart, as *time ambiguous*. " +
		"Every number is counted from the annex, where each finding names its record.\n\n")
	for _, rd := range r.Readings {
		p("## Under the %s reading\n\n", cell(rd.Reading))
		p("Window: %s to %s, %s time.\n\n", windowEdge(rd.Window.Start, rd.Window.TimeZone, "no start"), windowEdge(rd.Window.End, rd.Window.TimeZone, "open-ended"), rd.Window.TimeZone)
		statusTable(bw, "accused", rd.Parties, func(pt compliance.Party) []row { return []row{{pt.Party, pt.Timely}} })
		p("\nTime ambiguous (apart from the counts above):\n\n")
		statusTable(bw, "accused", rd.Parties, func(pt compliance.Party) []row { return []row{{pt.Party, pt.Ambiguous}} })
		p("\n### By incident grade\n\n")
		gradeTable(bw, rd.Parties)
		p("\n### By target category\n\n")
		statusTable(bw, "accused, category", rd.Parties, func(pt compliance.Party) []row { return keyed(pt.Party, pt.ByCategory, nil) })
		p("\n### By region\n\n")
		statusTable(bw, "accused, region", rd.Parties, func(pt compliance.Party) []row { return keyed(pt.Party, pt.ByRegion, r.Regions) })
		p("\n")
	}
	baseline(bw, r, loc)
	disputes(bw, r, loc)
	p("## Releases\n\n")
	if len(r.Releases) == 0 {
		p("No confirmed violation releases any party.\n\n")
	}
	for _, rel := range r.Releases {
		p("- finding/%d: %s in confirmed violation since %s; %s may consider itself released.\n",
			rel.FindingID, cell(rel.Party), rel.Since.In(loc).Format("2006-01-02 15:04"), cell(strings.Join(rel.Released, ", ")))
	}
	p("\n## Coverage\n\n")
	p("| source | records | first | last | days without a record |\n|---|---:|---|---|---|\n")
	for _, c := range r.Coverage {
		p("| %s | %d | %s | %s | %s |\n", cell(c.Source), c.Records, localDay(c.First, loc), localDay(c.Last, loc), gaps(c.Gaps))
	}
	p("\nRecords not located below country level: %d.\n\n", r.NotLocated)
	p("## Annex: every finding counted\n\n")
	p("| finding | record | reading | accused | commitment | status | grade | category | region | date | source |\n")
	p("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, it := range r.Annex {
		date := localDay(it.Time, loc)
		if it.TimeAmbiguous {
			date += " (time ambiguous)"
		}
		grade := string(it.Grade)
		if it.Incident > 0 {
			grade += " (incident/" + strconv.FormatInt(it.Incident, 10) + ")"
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", it.Finding, cell(it.Record), cell(it.Reading), cell(it.Accused),
			cell(it.Commitment), it.Status, grade, cell(it.Category), cell(region(it.Admin1, it.Admin1Name)), date, cell(it.Source+":"+it.SourceID))
	}
	return bw.Flush()
}

type row struct {
	label  string
	counts compliance.Counts
}

// statusTable writes one row per party (or per party and key) with a
// column per review status.
func statusTable(w io.Writer, head string, parties []compliance.Party, rows func(compliance.Party) []row) {
	statuses := vocab.Statuses()
	fmt.Fprintf(w, "| %s |", head)
	for _, s := range statuses {
		fmt.Fprintf(w, " %s |", strings.ReplaceAll(string(s), "_", " "))
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(statuses)))
	n := 0
	for _, pt := range parties {
		for _, r := range rows(pt) {
			fmt.Fprintf(w, "| %s |", cell(r.label))
			for _, s := range statuses {
				fmt.Fprintf(w, " %d |", r.counts.ByStatus[s])
			}
			fmt.Fprintln(w)
			n++
		}
	}
	if n == 0 {
		fmt.Fprintf(w, "| none |%s\n", strings.Repeat(" |", len(statuses)))
	}
}

// gradeTable writes one row per party with a column per incident grade.
func gradeTable(w io.Writer, parties []compliance.Party) {
	grades := vocab.Names(vocab.Grades())
	grades = append(grades, compliance.NoIncident)
	fmt.Fprintf(w, "| accused | %s |\n|---|%s\n", strings.Join(grades, " | "), strings.Repeat("---:|", len(grades)))
	for _, pt := range parties {
		fmt.Fprintf(w, "| %s |", cell(pt.Party))
		for _, g := range grades {
			fmt.Fprintf(w, " %d |", pt.Timely.ByGrade[g])
		}
		fmt.Fprintln(w)
	}
}

// keyed is one row per key of m, in key order, labelled party, key (its
// name from names, if any).
func keyed(party string, m map[string]compliance.Counts, names map[string]string) []row {
	var out []row
	for _, k := range slices.Sorted(maps.Keys(m)) {
		label := k
		if names != nil {
			label = region(k, names[k])
		}
		if label == "" {
			label = "(not given)"
		}
		out = append(out, row{party + ", " + label, m[k]})
	}
	return out
}

func region(code, name string) string {
	switch {
	case code == "":
		return "not located below country"
	case name == "":
		return code
	}
	return name + " (" + code + ")"
}

func gaps(rs []compliance.DayRange) string {
	if len(rs) == 0 {
		return "none"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.From
		if r.To != r.From {
			parts[i] += " to " + r.To
		}
	}
	return strings.Join(parts, ", ")
}

// windowEdge is an edge of a window as wall-clock time in its zone, never
// as an offset that changes at the daylight-saving switch.
func windowEdge(t time.Time, zone, none string) string {
	if t.IsZero() {
		return none
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// reportZone is the time zone of the first reading's window, by name.
func reportZone(r *compliance.Report) *time.Location {
	if len(r.Readings) > 0 {
		if l, err := time.LoadLocation(r.Readings[0].Window.TimeZone); err == nil {
			return l
		}
	}
	return time.UTC
}

func localDay(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// cell makes text safe in one Markdown table cell: no line breaks, no
// control characters, pipes escaped.
func cell(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "|", `\|`)
}

// baseline writes the comparison with the same length of time before.
func baseline(w io.Writer, r *compliance.Report, loc *time.Location) {
	b := r.Baseline
	fmt.Fprintf(w, "## Baseline\n\nThe same rules over the records of %s to %s, as if the agreement had been in force then, against the findings of this report. "+
		"Both sides are machine counts by verdict (candidate, ambiguous): nothing before was reviewed.\n\n", localDay(b.From, loc), localDay(b.To, loc))
	for _, rd := range b.Readings {
		fmt.Fprintf(w, "| %s reading: accused | candidate before | candidate now | change | ambiguous before | ambiguous now | change |\n|---|---:|---:|---:|---:|---:|---:|\n", cell(rd.Reading))
		for _, p := range rd.Parties {
			fmt.Fprintf(w, "| %s | %d | %d | %+d | %d | %d | %+d |\n", cell(p.Party), p.Before.Candidate, p.Now.Candidate, p.Now.Candidate-p.Before.Candidate,
				p.Before.Ambiguous, p.Now.Ambiguous, p.Now.Ambiguous-p.Before.Ambiguous)
		}
		fmt.Fprintln(w)
	}
	if len(b.Caveats) > 0 {
		fmt.Fprintf(w, "Caveats: the sources cover the two periods differently, so a change may be theirs:\n\n")
		for _, c := range b.Caveats {
			fmt.Fprintf(w, "- %s\n", cell(c))
		}
		fmt.Fprintln(w)
	}
}

// disputes writes what one reading counts and another does not.
func disputes(w io.Writer, r *compliance.Report, loc *time.Location) {
	if len(r.Readings) < 2 {
		return
	}
	fmt.Fprintf(w, "## Disputed terms\n\nWhat one reading counts and another does not, and why.\n\n")
	if len(r.Disputes) == 0 {
		fmt.Fprintf(w, "The readings count the same findings.\n\n")
		return
	}
	fmt.Fprintf(w, "| record | date | accused | commitment | counted by | not by | why not | findings |\n|---|---|---|---|---|---|---|---|\n")
	for _, d := range r.Disputes {
		refs := make([]string, len(d.Findings))
		for i, f := range d.Findings {
			refs[i] = f.String()
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", cell(d.Record), localDay(d.Time, loc), cell(d.Accused), cell(d.Commitment),
			cell(strings.Join(d.CountedBy, ", ")), cell(strings.Join(d.NotBy, ", ")), cell(strings.Join(d.Reasons, "; ")), strings.Join(refs, ", "))
	}
	fmt.Fprintln(w)
}
