package cli

import (
	"testing"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/backend"
)

// The demo's incidents contain no merge across parties, countries or a
// claim's regions: every pair of members of every incident agrees, read
// from the store as a build reads them. A denial or counter-claim ("Russia
// blew up the station itself") answers a member and names the other side
// by design: it is what makes the incident contested, not a merge.
func TestDemoIncidentsAttribution(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	ctx := t.Context()
	st, err := backend.Open(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	incs, err := st.ListIncidents(ctx, store.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	recs := map[store.RecordRef]incident.Record{}
	if err := st.ScanEvents(ctx, store.EventFilter{IncludeDeleted: true}, func(e *event.Event) error {
		recs[store.RecordRef{Type: store.RecordEvent, ID: e.ID}] = incident.FromEvent(e, false)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.ScanClaims(ctx, store.EventFilter{IncludeDeleted: true}, func(c *event.Claim) error {
		recs[store.RecordRef{Type: store.RecordClaim, ID: c.ID}] = incident.FromClaim(c, false)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	multi, sided := 0, 0
	for _, inc := range incs {
		if len(inc.Members) > 1 {
			multi++
		}
		for i, m := range inc.Members {
			if m.Role == store.MemberDenial {
				continue
			}
			a, ok := recs[m.Record]
			if !ok {
				t.Fatalf("incident %d: member %v not in the store", inc.ID, m.Record)
			}
			if len(a.Sides) > 0 {
				sided++
			}
			for _, n := range inc.Members[i+1:] {
				if n.Role == store.MemberDenial {
					continue
				}
				b := recs[n.Record]
				if ok, why := incident.Attribution(&a, &b); !ok {
					t.Errorf("incident %d merges %s and %s: %s", inc.ID, a.Key(), b.Key(), why)
				}
			}
		}
	}
	if multi < 5 || sided == 0 {
		t.Errorf("%d incidents of several members, %d members with a known acting side: the test checks too little", multi, sided)
	}
}
