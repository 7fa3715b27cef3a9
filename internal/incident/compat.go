package incident

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// Options tune merging. The zero value is not useful: start from Defaults.
type Options struct {
	// TimeTolerance is how far apart in time two records known to the hour
	// or better may be and still describe one occurrence: sources time an
	// overnight wave by its start, its end or the report's hour. A record
	// known to the day already spans its whole day and gets none.
	TimeTolerance time.Duration
	// Radius is how far apart two located records may be, by the coarser
	// precision of the two, in km.
	Radius map[event.GeoPrecision]float64
}

// Defaults are the options the measured precision and recall hold for
// (see merge_test.go).
func Defaults() Options {
	return Options{
		TimeTolerance: 12 * time.Hour,
		Radius: map[event.GeoPrecision]float64{
			event.GeoExact:  10,
			event.GeoTown:   15,
			event.GeoNear:   25,
			event.GeoAdmin2: 50,
			event.GeoAdmin1: 150,
		},
	}
}

// Link is the verdict on one pair of records, with why.
type Link struct {
	OK    bool    `json:"ok"`
	Score float64 `json:"score"` // 0..1, higher links first
	// Time, Place, Kind and Target say what each test found, in words.
	Time   string `json:"time"`
	Place  string `json:"place"`
	Kind   string `json:"kind"`
	Target string `json:"target"`
	// Side says how the acting sides, countries and a claim's regions
	// agree (attribution.go).
	Side string `json:"side,omitempty"`
	// Refused names the test that failed, empty when OK. Only a link made
	// has its sentences (Time .. Target): a refused one is not explained.
	Refused string `json:"refused,omitempty"`
}

// Compatible tests whether a and b may describe one occurrence. Each test
// gives a score in 0..1 and a strength: a place known only by its country
// (or not at all) and an unknown kind are weak, and two weak tests together
// are not enough evidence to link.
func Compatible(a, b *Record, opt Options) Link {
	// Most pairs a build compares are refused: only a link made is
	// explained, so the sentences are written on a second pass.
	if l := compatible(a, b, opt, false); !l.OK {
		return l
	}
	return compatible(a, b, opt, true)
}

// compatible is Compatible, with the tests' sentences if explain.
func compatible(a, b *Record, opt Options, explain bool) Link {
	var l Link
	at := func(s *string) *string {
		if explain {
			return s
		}
		return nil
	}
	if a.Aggregate || b.Aggregate {
		l.Time = "a count-only claim adds up many occurrences: it stands alone"
		return refuse(l, "aggregate")
	}
	if ok, test := attributionTest(a, b, at(&l.Side)); !ok {
		return refuse(l, test)
	}
	ts, tOK, tStrong := timeTest(a, b, opt, at(&l.Time))
	if !tOK {
		return refuse(l, "time")
	}
	ps, pOK, pStrong := placeTest(a, b, opt, at(&l.Place))
	if !pOK {
		return refuse(l, "place")
	}
	ks, kOK, kStrong := kindTest(a, b, at(&l.Kind))
	if !kOK {
		return refuse(l, "kind")
	}
	gs, gOK := targetTest(a, b, at(&l.Target))
	if !gOK {
		return refuse(l, "target")
	}
	// A place known only by its country (or not at all) says little in a
	// war with dozens of events a day: it takes the same kind of conduct
	// over the same hours, as for a country-wide strike wave timed by the
	// hour on one side.
	switch {
	case !pStrong && !kStrong:
		l.Refused = "evidence: neither place nor kind is known well enough on both sides"
		return l
	case !pStrong && (!tStrong || !(timed(a) || timed(b))):
		l.Refused = "evidence: the place is only a country, so the times must overlap mostly and one be known to the hour"
		return l
	}
	l.OK = true
	// Shared hours break ties: a post covering a day links to the night's
	// wave before a one-minute launch within it.
	l.Score = 0.35*ts + 0.35*ps + 0.2*ks + 0.1*gs + 0.02*min(1, sharedHours(a, b)/24)
	return l
}

// say sets the sentence *why, unless why is nil: nothing is explained.
func say(why *string, format string, args ...any) {
	if why != nil {
		*why = fmt.Sprintf(format, args...)
	}
}

// sayMore adds to the sentence *why, unless why is nil.
func sayMore(why *string, format string, args ...any) {
	if why != nil {
		*why += fmt.Sprintf(format, args...)
	}
}

func refuse(l Link, test string) Link {
	l.Refused = test
	return l
}

// coarseTime is the share of its score a time test keeps when the coarser
// record is known only to the week or worse: overlapping a month says little.
var coarseTime = map[event.TimePrecision]float64{
	event.TimeWeek: 0.5, event.TimeMonth: 0.2, event.TimeYear: 0.1,
}

// sharedHours is how many hours the two spans share.
func sharedHours(a, b *Record) float64 {
	as, ae := a.span()
	bs, be := b.span()
	return max(0, earliest(ae, be).Sub(latest(as, bs)).Hours())
}

// timed says whether a record is known to the hour: by its precision, or by
// a span shorter than a day (an overnight wave "22:00 to 06:00" that its
// source dates by the day).
func timed(r *Record) bool {
	p := r.Time.Precision
	return p == event.TimeExact || p == event.TimeHour || r.Time.End.Sub(r.Time.Start) < 24*time.Hour
}

// timeTest: the spans overlap, or, when one is known to the hour, come
// within the tolerance. Strong when the overlap covers half of the shorter
// span or six hours, neither span being coarser than a day.
func timeTest(a, b *Record, opt Options, why *string) (score float64, ok, strong bool) {
	as, ae := a.span()
	bs, be := b.span()
	overlap := earliest(ae, be).Sub(latest(as, bs))
	shorter := min(ae.Sub(as), be.Sub(bs))
	var tol time.Duration
	if timed(a) || timed(b) {
		tol = opt.TimeTolerance
	}
	factor := 1.0
	for _, p := range []event.TimePrecision{a.Time.Precision, b.Time.Precision} {
		if f, ok := coarseTime[p]; ok {
			factor = min(factor, f)
		}
	}
	switch {
	case overlap > 0:
		frac := 1.0
		if shorter > 0 {
			frac = min(1, float64(overlap)/float64(shorter))
		}
		say(why, "spans overlap %s (%.0f%% of the shorter)", roundDur(overlap), 100*frac)
		score = frac * factor
		return score, true, (frac >= 0.5 || overlap >= 6*time.Hour) && factor == 1
	case -overlap < tol:
		say(why, "spans %s apart, within the %s tolerance", roundDur(-overlap), roundDur(tol))
		return 0.3 * (1 - float64(-overlap)/float64(tol)) * factor, true, false
	default:
		say(why, "spans %s apart", roundDur(-overlap))
		if tol > 0 {
			sayMore(why, ", beyond the %s tolerance", roundDur(tol))
		}
		return 0, false, false
	}
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func roundDur(d time.Duration) time.Duration {
	if d >= time.Hour {
		return d.Round(time.Hour)
	}
	return d.Round(time.Minute)
}

// placeTest compares the best-matching pair of places. Both located finer
// than a region: within the radius of the coarser. A region on either side:
// the same region, or within the region radius. A country only, or no
// place: the same country (or unknown), and weak.
func placeTest(a, b *Record, opt Options, why *string) (score float64, ok, strong bool) {
	if len(a.Places) == 0 || len(b.Places) == 0 {
		say(why, "place unknown on one side")
		return 0.2, true, false
	}
	best := -1.0
	var bestWhy, firstWhy string
	for i := range a.Places {
		for j := range b.Places {
			s, o, st, w := comparePlaces(&a.Places[i], &b.Places[j], opt, why != nil)
			if firstWhy == "" {
				firstWhy = w
			}
			if !o {
				continue
			}
			if st {
				s += 1 // strong beats weak whatever the score
			}
			if s > best {
				best, bestWhy = s, w
			}
		}
	}
	if best < 0 {
		// A claim's places are where its acts are alleged (the tally's
		// regions left out, see claimPlaces): a claim in another place is
		// another occurrence, as for reports.
		say(why, "%s", firstWhy)
		return 0, false, false
	}
	say(why, "%s", bestWhy)
	if best >= 1 {
		return best - 1, true, true
	}
	return best, true, false
}

func comparePlaces(p, q *Place, opt Options, explain bool) (score float64, ok, strong bool, why string) {
	f := func(format string, args ...any) string {
		if !explain {
			return ""
		}
		return fmt.Sprintf(format, args...)
	}
	if p.Country != "" && q.Country != "" && p.Country != q.Country {
		return 0, false, false, f("different countries (%s, %s)", p.Country, q.Country)
	}
	pr, qr := placeRank(p), placeRank(q)
	coarse := p
	if qr > pr {
		coarse = q
	}
	if coarse.Precision == event.GeoCountry || placeRank(coarse) >= rankCountry {
		return 0.2, true, false, "only the country is known on one side"
	}
	sameRegion := regionKey(p) != "" && regionKey(p) == regionKey(q)
	if placeRank(coarse) == 4 && regionKey(p) != "" && regionKey(q) != "" && !sameRegion {
		// Known only by its region on one side: a region's centroid may lie
		// near a point of the next region, but the regions differ.
		return 0, false, false, f("different regions (%s, %s)", regionName(p), regionName(q))
	}
	if p.Lat != nil && q.Lat != nil && p.Lon != nil && q.Lon != nil {
		d := distanceKm(*p.Lat, *p.Lon, *q.Lat, *q.Lon)
		r := opt.Radius[coarse.Precision]
		if r == 0 {
			r = opt.Radius[event.GeoAdmin1]
		}
		if d <= r {
			return 1 - 0.5*d/r, true, true, f("%.0f km apart, within %.0f km (%s precision)", d, r, coarse.Precision)
		}
		if coarse.Precision == event.GeoAdmin1 && sameRegion {
			return 0.5, true, true, f("same region %s (%.0f km between the points given)", regionName(p), d)
		}
		return 0, false, false, f("%.0f km apart, beyond %.0f km (%s precision)", d, r, coarse.Precision)
	}
	if sameRegion {
		return 0.5, true, true, f("same region %s", regionName(p))
	}
	if regionKey(p) != "" && regionKey(q) != "" {
		return 0, false, false, f("different regions (%s, %s)", regionName(p), regionName(q))
	}
	return 0.2, true, false, "no coordinates or region to compare"
}

const rankCountry = 5

// placeRank orders precisions, finest first.
func placeRank(p *Place) int {
	switch p.Precision {
	case event.GeoExact:
		return 0
	case event.GeoTown:
		return 1
	case event.GeoNear:
		return 2
	case event.GeoAdmin2:
		return 3
	case event.GeoAdmin1:
		return 4
	case event.GeoCountry:
		return rankCountry
	}
	if p.Lat != nil {
		return 2
	}
	if p.Admin1 != "" || p.Admin1ID != "" {
		return 4
	}
	return rankCountry + 1
}

// regionKey identifies a first-level unit: its ISO code when the gazetteer
// resolved it, else its name without "oblast" and the like.
func regionKey(p *Place) string {
	if p.Admin1ID != "" {
		return p.Admin1ID
	}
	n := strings.ToLower(strings.TrimSpace(p.Admin1))
	for _, w := range []string{" oblast", " region", " krai", " province", " область", " край"} {
		n = strings.TrimSuffix(n, w)
	}
	return n
}

func regionName(p *Place) string {
	if p.Admin1 != "" {
		return p.Admin1
	}
	return p.Admin1ID
}

func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// kindTest: one kind covers the other (a drone strike is a strike; a
// shoot-down is not a strike). Weak when either is unknown.
func kindTest(a, b *Record, why *string) (score float64, ok, strong bool) {
	ak, bk := a.matchKind(), b.matchKind()
	if ak != a.Kind || bk != b.Kind {
		say(why, "kind from the text's wording (%s); ", cmp.Or(a.KindCue, b.KindCue))
	}
	switch {
	case ak == "" || bk == "":
		sayMore(why, "kind unknown on one side")
		return 0.3, true, false
	case ak == bk:
		sayMore(why, "same kind %s", ak)
		return 1, true, true
	case taxonomy.Covers(ak, bk) || taxonomy.Covers(bk, ak):
		sayMore(why, "%s and %s: one covers the other", ak, bk)
		return 0.7, true, true
	}
	sayMore(why, "incompatible kinds %s and %s", ak, bk)
	return 0, false, false
}

// targetTest: the target categories overlap under the taxonomy, or one side
// has none.
func targetTest(a, b *Record, why *string) (score float64, ok bool) {
	if len(a.Targets) == 0 || len(b.Targets) == 0 {
		say(why, "target unknown on one side")
		return 0.5, true
	}
	for _, x := range a.Targets {
		for _, y := range b.Targets {
			if taxonomy.Covers(x, y) || taxonomy.Covers(y, x) {
				say(why, "targets %s and %s overlap", x, y)
				return 1, true
			}
		}
	}
	say(why, "targets differ (%s; %s)", strings.Join(a.Targets, ","), strings.Join(b.Targets, ","))
	return 0, false
}
