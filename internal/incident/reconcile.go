package incident

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Counts is what a rebuild did to the stored incidents.
type Counts struct {
	New       int `json:"new"`
	Changed   int `json:"changed"` // members or grade changed
	Unchanged int `json:"unchanged"`
	Dissolved int `json:"dissolved"` // no cluster continues it: kept, without members
}

// Reconcile matches a rebuild's clusters to the stored incidents so that
// ids, review status and history survive: each cluster continues the stored
// incident it shares most members with (largest overlap first, each
// incident continued once). A cluster that continues none becomes a new
// incident if keep says so (the caller keeps clusters around a finding) or
// if it holds a record of a stored incident, which is never dropped; a
// stored incident no cluster continues is dissolved.
//
// It returns the incidents to save, unchanged ones left out: the store
// keeps a continued incident's status and flags it for review when its
// members changed.
func Reconcile(stored []Incident, clusters []Cluster, keep func(*Cluster) bool) ([]Incident, Counts) {
	owner := owners(stored)
	type overlap struct{ cluster, stored, n int }
	var overlaps []overlap
	for ci := range clusters {
		n := map[int]int{}
		for _, m := range clusters[ci].Members {
			if si, ok := owner.of(m.Record.Ref); ok {
				n[si]++
			}
		}
		for si, k := range n {
			overlaps = append(overlaps, overlap{ci, si, k})
		}
	}
	// Largest overlap first; of equal ones, the stored incident the cluster
	// covers more of (a split leaves each part where most of it was).
	share := func(o overlap) float64 { return float64(o.n) / float64(len(stored[o.stored].Members)) }
	slices.SortFunc(overlaps, func(a, b overlap) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(share(b), share(a)),
			cmp.Compare(stored[a.stored].ID, stored[b.stored].ID), cmp.Compare(a.cluster, b.cluster))
	})
	continues := make([]int, len(clusters))
	for i := range continues {
		continues[i] = -1
	}
	taken := make([]bool, len(stored))
	for _, o := range overlaps {
		if continues[o.cluster] >= 0 || taken[o.stored] {
			continue
		}
		continues[o.cluster], taken[o.stored] = o.stored, true
	}

	var out []Incident
	var c Counts
	for ci := range clusters {
		cl := &clusters[ci]
		inc := ToIncident(cl)
		si := continues[ci]
		switch {
		case si < 0 && !keep(cl) && !holdsAny(cl, owner):
			continue
		case si < 0:
			c.New++
		case sameIncident(&stored[si], &inc):
			c.Unchanged++
			continue
		default:
			inc.ID = stored[si].ID
			c.Changed++
		}
		out = append(out, inc)
	}
	for si := range stored {
		if taken[si] || !stored[si].DissolvedAt.IsZero() {
			continue
		}
		d := stored[si]
		d.Members = nil
		out = append(out, d)
		c.Dissolved++
	}
	return out, c
}

// owner says which stored incident holds a record or allegation.
type owner struct {
	exact map[vocab.Ref]int
	// whole: by the record, for a record now read whole whose allegations
	// were members, or now read by allegation and was a member whole.
	whole map[vocab.Ref]int
}

func owners(stored []Incident) owner {
	o := owner{exact: map[vocab.Ref]int{}, whole: map[vocab.Ref]int{}}
	for i := range stored {
		for _, m := range stored[i].Members {
			o.exact[m.Record] = i
			if _, ok := o.whole[m.Record.Whole()]; !ok {
				o.whole[m.Record.Whole()] = i
			}
		}
	}
	return o
}

func (o owner) of(r vocab.Ref) (int, bool) {
	if i, ok := o.exact[r]; ok {
		return i, true
	}
	i, ok := o.whole[r.Whole()]
	return i, ok
}

func holdsAny(c *Cluster, owner owner) bool {
	for _, m := range c.Members {
		if _, ok := owner.of(m.Record.Ref); ok {
			return true
		}
	}
	return false
}

// sameIncident says whether a rebuild gives a stored incident again: the
// same members in the same roles, the same grade and reasons.
func sameIncident(old, now *Incident) bool {
	if old.Grade != now.Grade || old.MachineOnly != now.MachineOnly || len(old.Members) != len(now.Members) ||
		old.Kind != now.Kind || !old.TimeStart.Equal(now.TimeStart) || !old.TimeEnd.Equal(now.TimeEnd) {
		return false
	}
	roles := map[vocab.Ref]Membership{}
	for _, m := range old.Members {
		roles[m.Record] = m
	}
	for _, m := range now.Members {
		o, ok := roles[m.Record]
		if !ok || o.Role != m.Role || o.Manual != m.Manual {
			return false
		}
	}
	return true
}

// ToIncident is a cluster as the store keeps it: the time and place of its
// most precise members, its most specific kind and target category, and a
// summary from its first report (claims when there is none).
func ToIncident(c *Cluster) Incident {
	inc := Incident{
		Grade: c.Grade.Grade, GradeReason: c.Grade.JSON(), MachineOnly: c.Grade.MachineOnly,
		Status: vocab.StatusAlleged,
	}
	var core []*Record
	for _, m := range c.Members {
		inc.Members = append(inc.Members, Membership{
			Record: m.Record.Ref, Source: m.Record.Source, SourceID: m.Record.SourceID,
			Role: m.Role, Machine: m.Record.Machine, Manual: m.Manual, Reason: m.Reason,
		})
		if m.Role != vocab.MemberDenial {
			core = append(core, m.Record)
		}
	}
	if len(core) == 0 {
		for _, m := range c.Members {
			core = append(core, m.Record)
		}
	}
	best := timeRank(core[0].Time.Precision)
	for _, r := range core {
		best = min(best, timeRank(r.Time.Precision))
	}
	for _, r := range core {
		if timeRank(r.Time.Precision) != best {
			continue
		}
		if inc.TimeStart.IsZero() || r.Time.Start.Before(inc.TimeStart) {
			inc.TimeStart = r.Time.Start
		}
		if r.Time.End.After(inc.TimeEnd) {
			inc.TimeEnd = r.Time.End
		}
	}
	var place *Place
	for _, r := range core {
		for i := range r.Places {
			if p := &r.Places[i]; place == nil || placeRank(p) < placeRank(place) {
				place = p
			}
		}
	}
	if place != nil {
		inc.Country, inc.Admin1, inc.Lat, inc.Lon = place.Country, cmp.Or(place.Admin1, place.Admin1ID), place.Lat, place.Lon
	}
	for _, r := range core {
		if depth(r.Kind) > depth(inc.Kind) {
			inc.Kind = r.Kind
		}
		for _, t := range r.Targets {
			if depth(t) > depth(inc.Category) {
				inc.Category = t
			}
		}
	}
	for _, pass := range []func(*Record) bool{
		func(r *Record) bool { return !r.Machine && r.Role == vocab.MemberReport },
		func(r *Record) bool { return !r.Machine },
		func(*Record) bool { return true },
	} {
		for _, r := range core {
			if pass(r) && r.Text != "" {
				inc.Summary = truncate(r.Text, 240)
				break
			}
		}
		if inc.Summary != "" {
			break
		}
	}
	return inc
}

// timeRank orders time precisions, finest first, unknown last.
func timeRank(p event.TimePrecision) int {
	i := slices.Index([]event.TimePrecision{event.TimeExact, event.TimeHour, event.TimeDay, event.TimeWeek, event.TimeMonth, event.TimeYear}, p)
	if i < 0 {
		return 99
	}
	return i
}

// depth ranks a taxonomy id by specificity; 0 for none.
func depth(id string) int {
	if id == "" {
		return 0
	}
	return strings.Count(id, ".") + 1
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
