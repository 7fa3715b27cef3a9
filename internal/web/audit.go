package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
)

// auditPage is how many entries the audit page shows at once.
const auditPage = 50

// auditData is what the audit page shows.
type auditData struct {
	Report *app.AuditReport
	// Err is the report as a sentence if the chain does not hold.
	Err   string
	State bool // the database was checked against the log too
	// Entries are the page's, newest first; Older and Newer the pages
	// beside it (the before= of each), 0 if none.
	Entries      []app.AuditEntry
	Older, Newer int64
}

// auditPage: GET /audit?before=&state=, the audit log: whether its hash
// chain holds (app.VerifyAudit, as 'truce audit verify' and the API
// check it), its head, and the entries before seq before (by default the
// latest), newest first, a page at a time. With state=1 the database's
// review statuses and users are checked against the log too. As in the
// API, the log is the team's: a viewer is refused.
func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	ctx := r.Context()
	who, err := ap.Authorize(ctx, auth.ReadUnpublished)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := auditData{State: q.Get("state") == "1"}
	if d.Report, err = ap.VerifyAudit(ctx, nil, d.State); err != nil {
		return err
	}
	if err := d.Report.Err(); err != nil {
		d.Err = err.Error()
	}
	// The latest entry: the head when the chain holds; past a broken
	// entry, the page shows the entries up to it and a few after.
	last := d.Report.Head.Seq
	if d.Report.Problem != nil {
		after, err := ap.AuditEntries(ctx, last, auditPage)
		if err != nil {
			return err
		}
		last += int64(len(after))
	}
	before := last + 1
	if v := q.Get("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before < 2 {
			return opsInvalid("before=%q: give the seq of an entry after the first (a number over 1)", v)
		}
	}
	from := max(0, before-1-auditPage)
	if d.Entries, err = ap.AuditEntries(ctx, from, int(before-1-from)); err != nil {
		return err
	}
	slices.Reverse(d.Entries)
	if from > 0 {
		d.Older = from + 1
	}
	if next, err := ap.AuditEntries(ctx, before-1, 1); err == nil && len(next) > 0 {
		d.Newer = min(before+auditPage, max(last+1, before+1))
	}
	h.render(w, r, http.StatusOK, "audit", view{Title: "Audit", Here: "audit", Who: who, Data: d})
	return nil
}
