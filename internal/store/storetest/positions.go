package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/truce-monitor/truce/internal/store"
)

func positionsVersion(id, title, body string) store.PositionsVersion {
	return store.PositionsVersion{SetID: id, Title: title, Source: fmt.Appendf(nil, "id: %s\ntitle: %q\n%s", id, title, body), StoredBy: "alice"}
}

// The store numbers a set's versions; the same content as the latest is
// no new version, but content returning to an older version is.
func testPositionsVersions(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	if _, err := s.ListPositionsVersions(ctx, "talks"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("versions of a set never stored: %v, want ErrNotFound", err)
	}
	if _, err := s.GetPositionsVersion(ctx, "talks", 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("latest of a set never stored: %v, want ErrNotFound", err)
	}
	steps := []struct {
		v           store.PositionsVersion
		wantVersion int
		wantCreated bool
	}{
		{positionsVersion("talks", "Talks", "# a\n"), 1, true},
		{positionsVersion("talks", "Talks", "# a\n"), 1, false},
		{positionsVersion("talks", "Talks, revised", "# b\n"), 2, true},
		{positionsVersion("talks", "Talks", "# a\n"), 3, true}, // back to the first content: a new version
		{positionsVersion("other", "Other", ""), 1, true},
	}
	for i, st := range steps {
		got, created, err := s.PutPositionsVersion(ctx, st.v)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got.Version != st.wantVersion || created != st.wantCreated {
			t.Errorf("step %d: version %d created %v, want %d %v", i, got.Version, created, st.wantVersion, st.wantCreated)
		}
		if got.Hash == "" || got.StoredBy != "alice" || got.StoredAt.IsZero() {
			t.Errorf("step %d: stored version lacks hash, author or time: %+v", i, got)
		}
	}
	for _, bad := range []store.PositionsVersion{{Title: "no id", Source: []byte("x"), StoredBy: "alice"}, {SetID: "talks", Source: []byte("x")}} {
		if _, _, err := s.PutPositionsVersion(ctx, bad); err == nil {
			t.Errorf("%+v stored, want an error", bad)
		}
	}
	vs, err := s.ListPositionsVersions(ctx, "talks")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || vs[0].Version != 1 || vs[2].Version != 3 || vs[1].Title != "Talks, revised" {
		t.Fatalf("versions of talks: %+v", vs)
	}
	if string(vs[0].Source) != string(vs[2].Source) || vs[0].Hash != vs[2].Hash || vs[0].Hash == vs[1].Hash {
		t.Errorf("sources and hashes not kept as written: %+v", vs)
	}
	latest, err := s.GetPositionsVersion(ctx, "talks", 0)
	if err != nil || latest.Version != 3 || latest.Title != "Talks" {
		t.Errorf("latest of talks: %+v, %v", latest, err)
	}
	v2, err := s.GetPositionsVersion(ctx, "talks", 2)
	if err != nil || string(v2.Source) != "id: talks\ntitle: \"Talks, revised\"\n# b\n" {
		t.Errorf("version 2: %q, %v", v2.Source, err)
	}
	if _, err := s.GetPositionsVersion(ctx, "talks", 4); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("version 4: %v, want ErrNotFound", err)
	}
	sets, err := s.ListPositionSets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 2 || sets[0].SetID != "other" || sets[1].SetID != "talks" || sets[1].Version != 3 {
		t.Errorf("sets: %+v", sets)
	}
	// Each new version is audited; the unchanged import is not.
	entries, err := s.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == "positions.import" {
			n++
			if e.Actor != "alice" || (e.Subject != "positions/talks" && e.Subject != "positions/other") {
				t.Errorf("audit entry %+v", e)
			}
		}
	}
	if n != 4 {
		t.Errorf("%d positions.import audit entries, want 4", n)
	}
}

// Concurrent imports of different content into one set each get a
// version of their own, numbered without gaps.
func testPositionsConcurrent(t *testing.T, b Backend) {
	s, _ := open(t, b)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.PutPositionsVersion(t.Context(), positionsVersion("talks", "Talks", fmt.Sprintf("# %d\n", i)))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	vs, err := s.ListPositionsVersions(t.Context(), "talks")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
		if v.Version != i+1 {
			t.Fatalf("versions %+v: not 1..%d", vs, n)
		}
	}
	if len(vs) != n {
		t.Errorf("%d versions, want %d", len(vs), n)
	}
}
