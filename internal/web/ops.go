package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/truce-monitor/truce/internal/app"
)

// opsPages are the templates of the operations pages: imports and their
// jobs, the audit log, users, reports.
var opsPages = []string{"imports", "batch", "job", "audit", "users", "reports"}

// mountOps puts the operations pages on mux: the imports (imports.go) and
// the job an upload becomes (jobs.go), the audit log (audit.go), the users
// (users.go) and the reports (reports.go).
func (h *Handler) mountOps(mux *http.ServeMux) {
	mux.Handle("GET /imports", h.page(h.importsPage))
	mux.Handle("POST /imports", h.page(h.upload))
	mux.Handle("GET /imports/{id}", h.page(h.batchPage))
	mux.Handle("GET /jobs/{id}", h.page(h.jobPage))
	if h.opts.JobEvents != nil {
		mux.Handle("GET /jobs/{id}/events", h.page(h.opts.JobEvents))
	}
	mux.Handle("GET /audit", h.page(h.auditPage))
	mux.Handle("GET /users", h.page(h.usersPage))
	mux.Handle("POST /users", h.page(h.addUser))
	mux.Handle("POST /users/{name}/{action}", h.page(h.userState))
	mux.Handle("GET /reports", h.page(h.reportsPage))
	mux.Handle("GET /reports/{file}", h.page(h.reportFile))
}

// opsID is the path's {name} as a positive id, or a 400 naming it.
func opsID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, opsInvalid("%q is not an id: ids are positive numbers", v)
	}
	return id, nil
}

// opsInvalid is a request the use cases need not see to refuse: a 400.
func opsInvalid(format string, args ...any) error {
	return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf(format, args...)}
}
