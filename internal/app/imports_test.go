package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/store"
)

// A batch's rejected rows a page at a time: every row once, in line order,
// whatever the page size, rows of one line included; a batch not stored
// is not found, a cursor not one invalid.
func TestImportRejectsPage(t *testing.T) {
	st := newStore(t)
	a := app.New(st, app.Options{})
	im, err := st.BeginImport(t.Context(), store.ImportMeta{Source: "s", Format: "csv", File: "s.csv", By: "local"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	var want []string
	for line := 2; line <= 8; line++ {
		fields := []string{"time"}
		if line%3 == 0 { // two problems on one line
			fields = append(fields, "place")
		}
		for _, f := range fields {
			if err := im.AddReject(t.Context(), store.Reject{Line: line, Field: f, Reason: "bad", Value: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		im.NoteRejected(1)
	}
	counts, err := im.Commit(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	all, err := a.ImportRejectsPage(t.Context(), counts.Batch, "", 0)
	if err != nil || all.Next != "" || all.Batch.Rejected != 7 || len(all.Rejects) != 9 {
		t.Fatalf("one page: %d rows, next %q, batch %+v, %v", len(all.Rejects), all.Next, all.Batch, err)
	}
	for _, r := range all.Rejects {
		want = append(want, fmt.Sprint(r.Line, r.Field))
	}
	for _, size := range []int{1, 2, 4, 9} {
		var got []string
		after := ""
		for pages := 0; ; pages++ {
			p, err := a.ImportRejectsPage(t.Context(), counts.Batch, after, size)
			if err != nil || pages > 20 {
				t.Fatalf("size %d page %d: %v", size, pages, err)
			}
			for _, r := range p.Rejects {
				got = append(got, fmt.Sprint(r.Line, r.Field))
			}
			if after = p.Next; after == "" {
				break
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("pages of %d: %v, want %v", size, got, want)
		}
	}
	for _, c := range []struct {
		batch int64
		after string
		limit int
		kind  app.Kind
		want  string
	}{
		{counts.Batch + 1, "", 0, app.KindNotFound, "no import batch"},
		{counts.Batch, "bogus", 0, app.KindInvalid, "is not a cursor"},
		{counts.Batch, "", 1001, app.KindInvalid, "1 to 1000"},
	} {
		_, err := a.ImportRejectsPage(t.Context(), c.batch, c.after, c.limit)
		if app.KindOf(err) != c.kind || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("batch %d after %q limit %d: %v, want %v %q", c.batch, c.after, c.limit, err, c.kind, c.want)
		}
	}
}
