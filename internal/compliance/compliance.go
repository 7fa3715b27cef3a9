// Package compliance counts what a compliance report says: per reading of
// an agreement, per accused party, the findings by review status and
// incident grade, by target category and by admin-1 region. Every number is
// computed from the report's annex, the list of counted items, so each one
// traces to records. Confirmed and alleged findings are kept apart and
// never summed: there is no total across statuses.
package compliance

import (
	"cmp"
	"slices"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Item is one counted finding: an annex row.
type Item struct {
	Finding    vocab.Ref     `json:"finding"` // finding/N
	Record     string        `json:"record"`  // event/12, claim/7#2
	Reading    string        `json:"reading"`
	Commitment string        `json:"commitment"`
	Accused    string        `json:"accused"`
	Claimant   string        `json:"claimant,omitempty"`
	Verdict    vocab.Verdict `json:"verdict"`
	Status     vocab.Status  `json:"status"`
	// Grade is that of the incident holding the record ("" if none), and
	// Incident its id.
	Grade    vocab.Grade `json:"grade,omitempty"`
	Incident int64       `json:"incident,omitempty"`
	Category string      `json:"category,omitempty"`
	Country  string      `json:"country,omitempty"`
	// Admin1 is the ISO 3166-2 code of the region, Admin1Name its name;
	// both empty for a record not located below country level.
	Admin1     string    `json:"admin1,omitempty"`
	Admin1Name string    `json:"admin1_name,omitempty"`
	Time       time.Time `json:"time"` // the record's start
	// DayOnly: the record gives its day, not its hour (or coarser), so
	// its time is shown as a date.
	DayOnly bool `json:"day_only,omitempty"`
	// TimeAmbiguous: the record's time straddles an edge of the reading's
	// window; such findings are counted apart.
	TimeAmbiguous bool   `json:"time_ambiguous,omitempty"`
	Source        string `json:"source"`
	SourceID      string `json:"source_id"`
	// Link is where the finding's review page is, on the team server.
	Link string `json:"link"`
}

// Counts are findings by review status and by incident grade ("none" for
// findings whose record is in no incident). Each map sums to the same
// number of findings, but statuses are never added up into one figure.
type Counts struct {
	ByStatus map[vocab.Status]int `json:"by_status"`
	ByGrade  map[string]int       `json:"by_grade"`
}

// NoIncident is the grade key of findings whose record is in no incident.
const NoIncident = "none"

func newCounts() Counts {
	return Counts{ByStatus: map[vocab.Status]int{}, ByGrade: map[string]int{}}
}

func (c Counts) add(it Item) {
	c.ByStatus[it.Status]++
	g := string(it.Grade)
	if g == "" {
		g = NoIncident
	}
	c.ByGrade[g]++
}

// Party is what the report counts against one accused party under one
// reading. Timely counts the findings whose record falls inside the
// window; Ambiguous those straddling an edge of it, apart.
type Party struct {
	Party      string            `json:"party"`
	Timely     Counts            `json:"timely"`
	Ambiguous  Counts            `json:"ambiguous_time"`
	ByCategory map[string]Counts `json:"by_category"`
	ByRegion   map[string]Counts `json:"by_region"` // admin-1 code, or "" for not located below country
}

// Reading is the summary under one reading.
type Reading struct {
	Reading string             `json:"reading"`
	Window  agreement.Resolved `json:"window"`
	Parties []Party            `json:"parties"`
}

// Report is the compliance report of one agreement version over a period.
type Report struct {
	Agreement   string     `json:"agreement"`
	Version     int        `json:"version"`
	Title       string     `json:"title"`
	From        time.Time  `json:"from"`
	To          time.Time  `json:"to"`
	GeneratedAt time.Time  `json:"generated_at"`
	Readings    []Reading  `json:"readings"`
	Coverage    []Coverage `json:"coverage"`
	// NotLocated counts the records of the period not located below
	// country level.
	NotLocated int `json:"not_located"`
	// Baseline compares the period with the same length of time before.
	Baseline Baseline `json:"baseline"`
	// Disputes are what one reading counts and another does not.
	Disputes []Dispute `json:"disputes"`
	// Releases are who was released by which confirmed finding, since when.
	Releases []review.Release `json:"releases"`
	// Implementation scores the agreement's positive obligations as of the
	// period's last day; none for an agreement of prohibitions only.
	Implementation []ObligationScore `json:"implementation,omitempty"`
	// Prohibitions counts the agreement's standing commitments that
	// prohibit conduct, which alone yield findings: with none (an
	// agreement of positive obligations only), the counts are empty by
	// construction and a report says so instead of printing them.
	Prohibitions int `json:"prohibitions"`
	// Regions names the admin-1 codes the summary uses.
	Regions map[string]string `json:"regions"`
	// Annex is every counted finding.
	Annex []Item `json:"annex"`
}

// Summarize counts items under each reading (in the order given), for each
// party of parties (in that order) that is accused at least once or is in
// parties: every party the agreement binds is listed, with zero counts if
// nothing is alleged against it.
func Summarize(readings []agreement.Terms, parties []string, items []Item) []Reading {
	out := make([]Reading, 0, len(readings))
	for _, t := range readings {
		r := Reading{Reading: t.Reading, Window: t.Window}
		byParty := map[string]*Party{}
		party := func(id string) *Party {
			if p, ok := byParty[id]; ok {
				return p
			}
			p := &Party{Party: id, Timely: newCounts(), Ambiguous: newCounts(), ByCategory: map[string]Counts{}, ByRegion: map[string]Counts{}}
			byParty[id] = p
			return p
		}
		for _, id := range parties {
			party(id)
		}
		for _, it := range items {
			if it.Reading != t.Reading {
				continue
			}
			p := party(it.Accused)
			if it.TimeAmbiguous {
				p.Ambiguous.add(it)
				continue
			}
			p.Timely.add(it)
			addTo(p.ByCategory, it.Category, it)
			addTo(p.ByRegion, it.Admin1, it)
		}
		for _, p := range byParty {
			r.Parties = append(r.Parties, *p)
		}
		order := func(id string) int {
			if i := slices.Index(parties, id); i >= 0 {
				return i
			}
			return len(parties)
		}
		slices.SortFunc(r.Parties, func(a, b Party) int {
			return cmp.Or(cmp.Compare(order(a.Party), order(b.Party)), cmp.Compare(a.Party, b.Party))
		})
		out = append(out, r)
	}
	return out
}

func addTo(m map[string]Counts, key string, it Item) {
	c, ok := m[key]
	if !ok {
		c = newCounts()
		m[key] = c
	}
	c.add(it)
}
