package server

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/testdb"
)

// An import batch's rejected rows a page at a time: every row once, in
// line order, rows of one line included; a batch not stored is 404, an id
// or cursor that is not one 400.
func TestImportRejectsOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		st, err := backend.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		im, err := st.BeginImport(ctx, store.ImportMeta{Source: "reports", Format: "csv", File: "reports.csv", By: "local"})
		if err != nil {
			t.Fatal(err)
		}
		defer im.Rollback()
		for line := 2; line <= 6; line++ {
			if err := im.AddReject(ctx, store.Reject{Line: line, Field: "date", Reason: "not a date", Value: "soon", Raw: "soon,Sloviansk"}); err != nil {
				t.Fatal(err)
			}
			if line == 4 { // a second problem on one line
				if err := im.AddReject(ctx, store.Reject{Line: line, Field: "place", Reason: "unknown place", Value: "Atlantis"}); err != nil {
					t.Fatal(err)
				}
			}
			im.NoteRejected(1)
		}
		counts, err := im.Commit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := New(ctx, Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		c := &client{t: t, base: hs.URL}

		type page struct {
			Batch struct {
				ID       int64
				File     string
				Rejected int
			}
			Rejects []struct {
				Line                      int
				Field, Reason, Value, Raw string
			}
			Next string
		}
		path := fmt.Sprintf("/api/v1/imports/%d/rejects", counts.Batch)
		var all page
		c.do("GET", path, nil, 200, &all)
		if all.Batch.ID != counts.Batch || all.Batch.File != "reports.csv" || all.Batch.Rejected != 5 || len(all.Rejects) != 6 || all.Next != "" {
			t.Fatalf("one page: %+v", all)
		}
		if r := all.Rejects[0]; r.Line != 2 || r.Field != "date" || r.Reason != "not a date" || r.Value != "soon" || r.Raw != "soon,Sloviansk" {
			t.Errorf("first row: %+v", r)
		}
		var want, got []string
		for _, r := range all.Rejects {
			want = append(want, fmt.Sprint(r.Line, r.Field))
		}
		after := ""
		for pages := 0; pages < 10; pages++ {
			var p page
			c.do("GET", path+"?limit=2&after="+after, nil, 200, &p)
			for _, r := range p.Rejects {
				got = append(got, fmt.Sprint(r.Line, r.Field))
			}
			if after = p.Next; after == "" {
				break
			}
			if len(p.Rejects) != 2 {
				t.Fatalf("page %d: %d rows, next %q", pages, len(p.Rejects), p.Next)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("pages of 2: %v, want %v", got, want)
		}

		for path, want := range map[string]struct {
			status int
			msg    string
		}{
			"/api/v1/imports/999/rejects": {404, "no import batch 999"},
			"/api/v1/imports/x/rejects":   {400, `"x" is not an id`},
			path + "?after=bogus":         {400, "is not a cursor of this list"},
			path + "?limit=5000":          {400, "1 to 1000"},
			path + "?limit=two":           {400, "want a whole number"},
			path + "?line=2":              {400, `unknown query parameter "line"`},
		} {
			var e apiError
			c.do("GET", path, nil, want.status, &e)
			if !strings.Contains(e.Error.Message, want.msg) {
				t.Errorf("%s: %q lacks %q", path, e.Error.Message, want.msg)
			}
		}
	})
}
