// Package incident groups the events and claims that describe one
// occurrence across sources, grades how well each group is corroborated and
// keeps the groups' identity across rebuilds. It is pure: the caller reads
// records from the store, calls Build, and saves what Reconcile returns.
//
// See docs/incidents.md for the rules in prose.
package incident

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Place is one place a record names.
type Place struct {
	Name      string             `json:"name,omitempty"`
	Country   string             `json:"country,omitempty"`
	Admin1    string             `json:"admin1,omitempty"`    // as the source names it
	Admin1ID  string             `json:"admin1_id,omitempty"` // ISO 3166-2, when resolved
	Lat       *float64           `json:"lat,omitempty"`
	Lon       *float64           `json:"lon,omitempty"`
	Precision event.GeoPrecision `json:"precision"`
}

// Record is what merging reads of one event or claim.
type Record struct {
	Ref      vocab.Ref
	Source   string
	SourceID string
	// Machine: the source is machine-coded (GDELT): a lead, never a
	// corroboration.
	Machine bool
	Deleted bool
	Role    vocab.MemberRole
	// For claims: who claims, against whom, and the source id (same source)
	// of the claim this one answers.
	Claimant, Accused string
	Answers           string
	// Sides are the acting parties the record alleges: an event's acting
	// actors, a claim's acts (see claimSides); empty when unknown. Records
	// whose sides are known and differ never merge (attribution.go).
	Sides []string
	// PartyClaim: the claimant is a party to the conflict, so the claim is
	// that party's word, not independent corroboration.
	PartyClaim bool
	// ReportedBy is the party whose own reporting the record's source is
	// (the Ukrainian Air Force's daily strike reports: UA), "" for a
	// non-party source. Such a report is that party's word, like its
	// claims.
	ReportedBy string
	// Aggregate: a count-only claim ("more than 30 attacks since 25
	// March"), many occurrences in one statement: it never merges.
	Aggregate bool
	Time      event.Span
	Places    []Place // one for an event; none when unknown
	Kind      string  // taxonomy.Kinds id, "" when unknown
	// KindCue is the wording a claim without a kind was read by (see
	// strikeCues): merging then takes it for a strike.
	KindCue string
	Targets []string
	Text    string
	// URL is the report the record comes from: a claim's URL, an event's
	// source reference from its raw fields (see rawRef).
	URL string
	// Speaker is the person or office whose statement the record restates,
	// where the source names one.
	Speaker string
	// Seed marks the records an incident is built around (those with
	// findings); Build groups every record, the caller keeps what it needs.
	Seed bool
}

// Voice is the party whose word the record is: a party's claim, or a
// report of a source that party publishes; "" for a non-party record.
func (r *Record) Voice() string {
	if r.PartyClaim && r.Role != vocab.MemberReport {
		return r.Claimant
	}
	return r.ReportedBy
}

// Key is the record's (source, source id), unique across the store, with
// the allegation for a part of one ("claims:17#2"; see ClaimRecords).
func (r *Record) Key() string { return r.WholeKey() + refPart(r.Ref) }

// FromEvent is the view of a stored event.
func FromEvent(e *event.Event, machine bool) Record {
	r := Record{
		Ref:    vocab.Ref{Kind: vocab.KindEvent, ID: e.ID},
		Source: e.Source, SourceID: e.SourceID, Machine: machine, Deleted: e.Deleted,
		Role: vocab.MemberReport, Time: e.Time, Kind: knownKind(e.Kind), Text: e.Text,
		Targets: targetIDs(e.Targets), Sides: eventSides(e), URL: rawRef(e.Raw), Speaker: rawSpeaker(e.Raw),
	}
	if p := fromPlace(e.Place); !p.unknown() {
		r.Places = []Place{p}
	}
	return r
}

// FromClaim is the view of a stored claim. A claim that answers another
// (Answers set) is a denial or counter-claim; it joins the incident of the
// claim it answers, with role denial, when that claim is in one.
func FromClaim(c *event.Claim, machine bool) Record {
	r := Record{
		Ref:    vocab.Ref{Kind: vocab.KindClaim, ID: c.ID},
		Source: c.Source, SourceID: c.SourceID, Machine: machine, Deleted: c.Deleted,
		Role: vocab.MemberClaim, Claimant: c.Claimant, Accused: c.Accused, Answers: c.Answers,
		PartyClaim: isPartyID(c.Claimant), Time: c.Time, Kind: knownKind(c.Kind), Text: c.Text, URL: c.URL,
		Targets: targetIDs(c.Targets), Sides: claimSides(c), Speaker: rawSpeaker(c.Raw),
	}
	if r.URL == "" {
		r.URL = rawRef(c.Raw)
	}
	if len(c.Allegations) > 0 && strings.HasPrefix(r.Kind, "strike.") {
		// A kind read from text is the first weapon word of the act: a
		// combined attack "with precision weapons and drones" is read as
		// strike.drone, yet its missiles are the same occurrence. The set
		// phrase of a long-range strike says "strike", no more.
		if cue := strikeCue(c.Text); cue != "" {
			r.Kind, r.KindCue = "", cue
		}
	}
	if r.Kind == "" {
		r.KindCue = strikeCue(c.Text)
	}
	if c.Type == event.ClaimDenial {
		r.Role = vocab.MemberDenial
	}
	r.Aggregate = c.Type == event.ClaimCount || countedActs(c)
	for _, p := range claimPlaces(c) {
		if q := fromPlace(p); !q.unknown() {
			r.Places = append(r.Places, q)
		}
	}
	return r
}

func fromPlace(p event.Place) Place {
	return Place{Name: p.Name, Country: p.Country, Admin1: p.Admin1, Admin1ID: p.Admin1ID, Lat: p.Lat, Lon: p.Lon, Precision: p.Precision}
}

func (p Place) unknown() bool {
	return p.Country == "" && p.Admin1 == "" && p.Admin1ID == "" && p.Lat == nil && p.Name == ""
}

// knownKind is the kind, or "" when the source did not know it: "other"
// says nothing about what happened.
func knownKind(k string) string {
	if k == "other" {
		return ""
	}
	return k
}

// targetIDs are the target categories assigned, "unknown" left out.
func targetIDs(rs []event.Reason) []string {
	var out []string
	for _, r := range rs {
		if r.Term != "" && r.Term != "unknown" {
			out = append(out, r.Term)
		}
	}
	return out
}

// isPartyID says whether a claimant is written as a party id ("RU", "UA",
// "DPR"), as agreements and claims mappings name parties, rather than as an
// outlet's name.
func isPartyID(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// normText folds a text for the "same wording" test: lower case, letters
// and digits only, single spaces.
func normText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	return b.String()
}

// normURL folds a URL for the "same report" test: no scheme, "www.",
// fragment or trailing slash.
func normURL(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u = strings.TrimPrefix(u, "www.")
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	return strings.TrimRight(u, "/")
}

func (r *Record) span() (time.Time, time.Time) { return r.Time.Start, r.Time.End }

// strikeCues are the set phrases by which parties' statements report a
// long-range strike ("a massive strike with long-range precision weapons
// was delivered"): a claims feed whose mapping gives no kind (the Russian
// MoD channel) is otherwise unmatchable against the strike reports, and
// daily summaries that do not use these words are left unknown. Only the
// singular counts: "17 group strikes" is a weekly tally, not one occurrence.
var strikeCues = []string{
	"массированный удар", "массированный ракетный удар", "групповой удар", "удар высокоточным оружием",
	"масований удар", "масованого удару", "ракетний удар", "ракетного удару",
	"massive strike", "massive missile strike", "long-range precision weapons",
}

// markdownLink is the target part of a Markdown link, "](https://...)":
// "[нанесли удар](https://t.me/...) высокоточным оружием" is one phrase.
var markdownLink = regexp.MustCompile(`\]\([^)]*\)`)

// strikeCue returns the first strike phrase in text, or "".
// The text is folded first: the channel's Markdown ("нанесли **групповой**
// **удар**") must not hide a phrase.
func strikeCue(text string) string {
	folded := " " + normText(markdownLink.ReplaceAllString(text, "] ")) + " "
	for _, c := range strikeCues {
		if strings.Contains(folded, " "+c+" ") {
			return c
		}
	}
	return ""
}

// matchKind is the kind merging compares: the record's, or "strike" when
// only its wording says so.
func (r *Record) matchKind() string {
	if r.Kind == "" && r.KindCue != "" {
		return "strike"
	}
	return r.Kind
}
