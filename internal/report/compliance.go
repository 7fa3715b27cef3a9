package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The compliance report is built once as a document (sections of
// paragraphs, tables and charts) and written as Markdown or HTML, so both
// say the same.

// document is a report as its renderers see it.
type document struct {
	Title    string
	Lead     []string // paragraphs under the title
	Sections []section
}

type section struct {
	Heading string
	Level   int // 2 or 3
	Blocks  []block
}

// block is one paragraph, list, table or chart.
type block struct {
	Text  string
	List  []string
	Table *table
	// Chart draws an SVG (HTML only; Markdown says where to find it).
	Chart func(w *strings.Builder) error
	Alt   string
}

type table struct {
	Head    []string
	Numeric []bool // right-aligned columns
	Rows    [][]string
}

// complianceDocument lays the report out.
func complianceDocument(r *compliance.Report, opts HTMLOptions) document {
	loc := reportZone(r)
	d := document{Title: "Compliance report: " + r.Title}
	d.Lead = []string{
		fmt.Sprintf("Agreement %s, version %d. Records from %s to %s, %s time. Generated %s.",
			r.Agreement, r.Version, localDay(r.From, loc), localDay(r.To, loc), loc, r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")),
		"Counted: the candidate and ambiguous findings of the period, each at its review status. " +
			"Confirmed, corroborated and alleged findings are different things and are never added together. " +
			"Findings whose record straddles an edge of a reading's window are counted apart, as time ambiguous. " +
			"Every number is counted from the annex, where each finding names its record.",
	}
	if r.Prohibitions == 0 {
		// Only positive obligations: nothing can be found against them,
		// so the counts, the baseline and the disputes would be zeros.
		d.Lead = []string{fmt.Sprintf("Agreement %s, version %d. Generated %s.", r.Agreement, r.Version, r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")),
			"This agreement has positive obligations only (what the parties must do), no prohibited conduct: no finding can be counted against it, " +
				"and the report is its implementation, each step with the source it rests on."}
		d.Sections = append(d.Sections, implementationSections(r)...)
		return d
	}
	for _, rd := range r.Readings {
		reading := rd.Reading
		s := section{Heading: "Under the " + reading + " reading", Level: 2, Blocks: []block{
			{Text: fmt.Sprintf("Window: %s to %s, %s time.", windowEdge(rd.Window.Start, rd.Window.TimeZone, "no start"),
				windowEdge(rd.Window.End, rd.Window.TimeZone, "open-ended"), rd.Window.TimeZone)},
			{Table: statusTable("accused", rd.Parties, func(p compliance.Party) []row { return []row{{p.Party, p.Timely}} })},
			{Text: "Time ambiguous (apart from the counts above):"},
			{Table: statusTable("accused", rd.Parties, func(p compliance.Party) []row { return []row{{p.Party, p.Ambiguous}} })},
			{Chart: func(w *strings.Builder) error { return DailyChart(w, r, reading, loc) }, Alt: "findings per day and accused party, with the reading's window"},
		}}
		byRegion := section{Heading: "By region", Level: 3, Blocks: []block{
			{Table: statusTable("accused, region", rd.Parties, func(p compliance.Party) []row { return keyed(p.Party, p.ByRegion, r.Regions) })},
		}}
		if opts.Outlines != nil {
			byRegion.Blocks = append(byRegion.Blocks, block{Chart: func(w *strings.Builder) error { return Choropleth(w, r, reading, opts.Outlines) },
				Alt: "map of findings per admin-1 region"})
		}
		byRegion.Blocks = append(byRegion.Blocks, block{Chart: func(w *strings.Builder) error { return RegionBars(w, r, reading) },
			Alt: "findings per region and accused party"})
		d.Sections = append(d.Sections, s,
			section{Heading: "By incident grade", Level: 3, Blocks: []block{{Table: gradeTable(rd.Parties)}}},
			section{Heading: "By target category", Level: 3, Blocks: []block{{Table: statusTable("accused, category", rd.Parties,
				func(p compliance.Party) []row { return keyed(p.Party, p.ByCategory, nil) })}}},
			byRegion)
	}
	d.Sections = append(d.Sections, baselineSection(r, loc))
	if len(r.Readings) > 1 {
		d.Sections = append(d.Sections, disputesSection(r, loc))
	}
	rel := section{Heading: "Releases", Level: 2}
	if len(r.Releases) == 0 {
		rel.Blocks = append(rel.Blocks, block{Text: "No confirmed violation releases any party."})
	}
	for _, x := range r.Releases {
		rel.Blocks = append(rel.Blocks, block{Text: fmt.Sprintf("finding/%d: %s in confirmed violation since %s; %s may consider itself released.",
			x.FindingID, x.Party, x.Since.In(loc).Format("2006-01-02 15:04"), strings.Join(x.Released, ", "))})
	}
	cov := &table{Head: []string{"source", "records", "first", "last", "days without a record"}, Numeric: []bool{false, true}}
	for _, c := range r.Coverage {
		cov.Rows = append(cov.Rows, []string{c.Source, strconv.Itoa(c.Records), localDay(c.First, loc), localDay(c.Last, loc), gaps(c.Gaps)})
	}
	annex := &table{Head: []string{"finding", "record", "reading", "accused", "commitment", "status", "grade", "category", "region", "date", "source"}}
	for _, it := range r.Annex {
		date := localDay(it.Time, loc)
		if it.DayOnly {
			date = it.Time.In(loc).Format(time.DateOnly) + " (day)"
		}
		if it.TimeAmbiguous {
			date += " (time ambiguous)"
		}
		grade := string(it.Grade)
		if it.Incident > 0 {
			grade += " (incident/" + strconv.FormatInt(it.Incident, 10) + ")"
		}
		annex.Rows = append(annex.Rows, []string{it.Finding.String(), it.Record, it.Reading, it.Accused, it.Commitment, string(it.Status),
			grade, it.Category, region(it.Admin1, it.Admin1Name), date, it.Source + ":" + it.SourceID})
	}
	d.Sections = append(d.Sections, implementationSections(r)...)
	d.Sections = append(d.Sections, rel,
		section{Heading: "Coverage", Level: 2, Blocks: []block{{Table: cov},
			{Text: fmt.Sprintf("Records not located below country level: %d.", r.NotLocated)}}},
		section{Heading: "Annex: every finding counted", Level: 2, Blocks: []block{{Table: annex}}})
	return d
}

func baselineSection(r *compliance.Report, loc *time.Location) section {
	b := r.Baseline
	s := section{Heading: "Baseline", Level: 2, Blocks: []block{{Text: fmt.Sprintf(
		"The same rules over the records of %s to %s, as if the agreement had been in force then, against the findings of this report. "+
			"Both sides are machine counts by verdict (candidate, ambiguous): nothing before was reviewed.", localDay(b.From, loc), localDay(b.To, loc))}}}
	for _, rd := range b.Readings {
		t := &table{Head: []string{rd.Reading + " reading: accused", "candidate before", "candidate now", "change", "ambiguous before", "ambiguous now", "change"},
			Numeric: []bool{false, true, true, true, true, true, true}}
		for _, p := range rd.Parties {
			t.Rows = append(t.Rows, []string{p.Party, strconv.Itoa(p.Before.Candidate), strconv.Itoa(p.Now.Candidate), fmt.Sprintf("%+d", p.Now.Candidate-p.Before.Candidate),
				strconv.Itoa(p.Before.Ambiguous), strconv.Itoa(p.Now.Ambiguous), fmt.Sprintf("%+d", p.Now.Ambiguous-p.Before.Ambiguous)})
		}
		s.Blocks = append(s.Blocks, block{Table: t})
	}
	if len(b.Caveats) > 0 {
		s.Blocks = append(s.Blocks, block{Text: "Caveats: the sources cover the two periods differently, so a change may be theirs:"}, block{List: b.Caveats})
	}
	return s
}

func disputesSection(r *compliance.Report, loc *time.Location) section {
	s := section{Heading: "Disputed terms", Level: 2, Blocks: []block{{Text: "What one reading counts and another does not, and why."}}}
	if len(r.Disputes) == 0 {
		s.Blocks = append(s.Blocks, block{Text: "The readings count the same findings."})
		return s
	}
	t := &table{Head: []string{"record", "date", "accused", "commitment", "counted by", "not by", "why not", "findings"}}
	for _, d := range r.Disputes {
		refs := make([]string, len(d.Findings))
		for i, f := range d.Findings {
			refs[i] = f.String()
		}
		t.Rows = append(t.Rows, []string{d.Record, localDay(d.Time, loc), d.Accused, d.Commitment, strings.Join(d.CountedBy, ", "),
			strings.Join(d.NotBy, ", "), strings.Join(d.Reasons, "; "), strings.Join(refs, ", ")})
	}
	s.Blocks = append(s.Blocks, block{Table: t})
	return s
}

type row struct {
	label  string
	counts compliance.Counts
}

// statusTable has one row per party (or per party and key) and a column
// per review status.
func statusTable(head string, parties []compliance.Party, rows func(compliance.Party) []row) *table {
	statuses := vocab.Statuses()
	t := &table{Head: []string{head}, Numeric: []bool{false}}
	for _, s := range statuses {
		t.Head = append(t.Head, strings.ReplaceAll(string(s), "_", " "))
		t.Numeric = append(t.Numeric, true)
	}
	for _, p := range parties {
		for _, r := range rows(p) {
			cells := []string{r.label}
			for _, s := range statuses {
				cells = append(cells, strconv.Itoa(r.counts.ByStatus[s]))
			}
			t.Rows = append(t.Rows, cells)
		}
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, append([]string{"none"}, make([]string, len(statuses))...))
	}
	return t
}

// gradeTable has one row per party and a column per incident grade.
func gradeTable(parties []compliance.Party) *table {
	grades := append(vocab.Names(vocab.Grades()), compliance.NoIncident)
	t := &table{Head: append([]string{"accused"}, grades...), Numeric: []bool{false}}
	for range grades {
		t.Numeric = append(t.Numeric, true)
	}
	for _, p := range parties {
		cells := []string{p.Party}
		for _, g := range grades {
			cells = append(cells, strconv.Itoa(p.Timely.ByGrade[g]))
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
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
