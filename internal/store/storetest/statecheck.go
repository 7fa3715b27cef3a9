package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// testVerifyState holds `audit verify --state` to its promise: the review
// statuses and users the database holds are what the log says, and a value
// edited, inserted or deleted past truce is named.
func testVerifyState(t *testing.T, b Backend) {
	// A store with reviewed and unreviewed findings and incidents, and
	// users enabled and disabled.
	setup := func(t *testing.T) (store.Store, string, vocab.Ref, vocab.Ref, vocab.Ref) {
		t.Helper()
		ctx := t.Context()
		s, dsn := open(t, b)
		addUsers(t, s, "root:admin", "ada:monitor", "mona:monitor")
		if err := s.SetUserDisabled(ctx, "mona", true, "root", "left"); err != nil {
			t.Fatal(err)
		}
		f := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
		idle := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR2"))
		inc := newIncident(t, b, dsn, false)
		for _, step := range []struct {
			subj     vocab.Ref
			from, to vocab.Status
			revision int
		}{
			{f, vocab.StatusAlleged, vocab.StatusCorroborated, 0},
			{f, vocab.StatusCorroborated, vocab.StatusConfirmed, 1},
			{inc, vocab.StatusAlleged, vocab.StatusInconclusive, 0},
		} {
			_, err := s.ApplyTransition(ctx, review.Transition{Subject: step.subj, From: step.from, To: step.to, By: "ada", Reason: "r"}, step.revision)
			if err != nil {
				t.Fatal(err)
			}
		}
		return s, dsn, f, idle, inc
	}

	t.Run("intact", func(t *testing.T) {
		s, _, _, _, _ := setup(t)
		r, err := store.VerifyState(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Mismatches) != 0 || r.Subjects != 3 || r.Users != 3 || r.Steps != 3 {
			t.Errorf("got %+v, want 3 subjects, 3 users, 3 steps, no mismatch", r)
		}
	})

	for _, tc := range []struct {
		name   string
		tamper func(f, idle, inc vocab.Ref) []string
		want   func(f, idle, inc vocab.Ref) []string // each a mismatch, as its String begins
	}{
		{
			name: "finding status",
			tamper: func(f, _, _ vocab.Ref) []string {
				return []string{fmt.Sprintf("UPDATE findings SET status = 'refuted' WHERE id = %d", f.ID)}
			},
			want: func(f, _, _ vocab.Ref) []string {
				return []string{f.String() + ": status refuted in the database, but the log says confirmed (entry "}
			},
		},
		{
			name: "never reviewed finding confirmed",
			tamper: func(_, idle, _ vocab.Ref) []string {
				return []string{fmt.Sprintf("UPDATE findings SET status = 'confirmed' WHERE id = %d", idle.ID)}
			},
			want: func(_, idle, _ vocab.Ref) []string {
				return []string{idle.String() + ": status confirmed in the database, but the log says alleged (never reviewed)"}
			},
		},
		{
			name: "incident status and revision",
			tamper: func(_, _, inc vocab.Ref) []string {
				return []string{fmt.Sprintf("UPDATE incidents SET status = 'confirmed', review_revision = 2 WHERE id = %d", inc.ID)}
			},
			want: func(_, _, inc vocab.Ref) []string {
				return []string{inc.String() + ": status confirmed in the database, but the log says inconclusive (entry "}
			},
		},
		{
			name: "revision only",
			tamper: func(f, _, _ vocab.Ref) []string {
				return []string{fmt.Sprintf("UPDATE findings SET review_revision = 7 WHERE id = %d", f.ID)}
			},
			want: func(f, _, _ vocab.Ref) []string {
				return []string{f.String() + ": revision 7 in the database, but the log has 2 review steps on it"}
			},
		},
		{
			name: "users",
			tamper: func(vocab.Ref, vocab.Ref, vocab.Ref) []string {
				return []string{"UPDATE users SET role = 'admin' WHERE name = 'ada'", "UPDATE users SET disabled = FALSE WHERE name = 'mona'",
					"INSERT INTO users (name, role, created_at, updated_at) VALUES ('mallory', 'admin', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')",
					"DELETE FROM users WHERE name = 'root'"}
			},
			want: func(vocab.Ref, vocab.Ref, vocab.Ref) []string {
				return []string{
					"user/ada: role admin in the database, but the log says monitor (entry ",
					"user/mallory: in the database, but the log never added this user",
					"user/mona: enabled in the database, but the log says disabled (entry ",
					"user/root: the log added this user (entry 1), but the database has no such user",
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			s, dsn, f, idle, inc := setup(t)
			for _, q := range tc.tamper(f, idle, inc) {
				if err := b.Exec(ctx, dsn, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			r, err := store.VerifyState(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want(f, idle, inc)
			var got []string
			for _, m := range r.Mismatches {
				got = append(got, m.String())
			}
			if len(got) != len(want) {
				t.Fatalf("mismatches:\n%s\nwant %d", strings.Join(got, "\n"), len(want))
			}
			for i := range want {
				if !strings.HasPrefix(got[i], want[i]) {
					t.Errorf("mismatch %d: %q, want it to begin %q", i, got[i], want[i])
				}
			}
		})
	}
}
