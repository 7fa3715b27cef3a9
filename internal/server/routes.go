package server

import (
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/store"
)

// Access is what a route asks of its caller before its use case runs (the
// use case checks again: the route table is what the API documents and the
// route x role test walks).
type Access struct {
	// Public routes need no identity (health, metrics).
	Public bool
	// Action, if set, is what the caller's role must permit; otherwise any
	// identified caller may call (a read; the use case applies the viewer
	// rule).
	Action auth.Action
	// Self: a user may call it on their own account without Action.
	Self bool
}

// route is one entry of the route table.
type route struct {
	Method  string
	Pattern string // net/http pattern, e.g. "/api/v1/users/{name}"
	Access  Access
	Handle  func(w http.ResponseWriter, r *http.Request, ap *app.App) error
	Doc     apiDoc
}

// apiDoc is what the OpenAPI document says of a route; the types are the
// ones the handler decodes and encodes.
type apiDoc struct {
	Summary string
	Query   any // the query's params struct (see params.go), or nil
	Body    any // the request body, or nil
	Resp    any // the success body; nil: 204 No Content (unless Binary)
	Status  int // the success status, 200 if 0
	// Upload: the body is multipart form data, an "item" part of this
	// type and an optional "file" part.
	Upload any
	// Binary: the success body is a file (application/octet-stream).
	Binary bool
	// Stream: the success body is server-sent events (text/event-stream).
	Stream bool
	// Produces: the success body is a file of one of these media types.
	Produces []string
	// Also: the success body is Resp as JSON, or (asked by a format
	// parameter) a file of one of these media types.
	Also []string
	// MaxBody bounds the request body, if not by the server's default.
	MaxBody int64
}

// routeTable lists every route of the API.
func (s *Server) routeTable() []route {
	anyone := Access{}
	admin := Access{Action: auth.ManageUsers}
	selfOrAdmin := Access{Action: auth.ManageUsers, Self: true}
	// What viewers may not see: the routes whose use cases do not apply
	// the published-only rule themselves.
	insider := Access{Action: auth.ReadUnpublished}
	return []route{
		{"GET", "/api/v1/whoami", anyone, s.whoami, apiDoc{Summary: "Who the token is", Resp: whoamiView{}}},
		{"GET", "/api/v1/agreements", anyone, s.agreements, apiDoc{Summary: "The stored agreements, latest version of each", Query: noParams{}, Resp: agreementsView{}}},
		{"POST", "/api/v1/agreements/lint", anyone, s.lintAgreement, apiDoc{Summary: "Check an agreement file: 400 lists every problem with line and column", Body: agreementFile{}, Resp: lintedAgreement{}}},
		{"POST", "/api/v1/agreements", Access{Action: auth.Import}, s.importAgreement, apiDoc{Summary: "Store an agreement version (idempotent; other content under a stored version is 409)", Body: agreementFile{}, Resp: app.ImportedAgreement{}}},
		{"GET", "/api/v1/agreements/{id}/versions", anyone, s.agreementVersions, apiDoc{Summary: "Every stored version of an agreement", Resp: versionsView{}}},
		{"GET", "/api/v1/agreements/{id}/versions/{version}", anyone, s.agreementVersion, apiDoc{Summary: "One stored version, normalised: windows resolved to UTC under every reading, or one", Query: agreementVersionParams{}, Resp: agreement.Normalized{}}},
		{"GET", "/api/v1/agreements/{id}/diff", anyone, s.agreementDiff, apiDoc{Summary: "What changed between two stored versions, term by term, with the warnings of the rules of evolution", Query: diffParams{}, Resp: agreement.Comparison{}}},
		{"GET", "/api/v1/agreements/{id}/report", anyone, s.complianceReport, apiDoc{Summary: "The compliance report of the agreement's latest evaluated version, as truce report writes it (format: json, md, html or pdf)", Query: reportParams{}, Resp: compliance.Report{},
			Also: []string{"text/markdown", "text/html", "application/pdf"}}},
		{"GET", "/api/v1/agreements/{id}/daily", anyone, s.dailyReport, apiDoc{Summary: "The daily report of the agreement, as truce report daily writes it (format: json, md or html)", Query: dailyParams{}, Resp: compliance.Daily{},
			Also: []string{"text/markdown", "text/html"}}},
		{"GET", "/api/v1/positions", anyone, s.positionSets, apiDoc{Summary: "The stored positions files, latest version of each", Query: noParams{}, Resp: positionSetsView{}}},
		{"POST", "/api/v1/positions/lint", anyone, s.lintPositions, apiDoc{Summary: "Check a positions file: 400 lists every problem with line and column", Body: positionsFile{}, Resp: lintedPositions{}}},
		{"POST", "/api/v1/positions", Access{Action: auth.Import}, s.importPositions, apiDoc{Summary: "Store a positions file as the next version of its set (unchanged if the latest holds the same content)", Body: positionsFile{}, Resp: app.ImportedPositions{}}},
		{"GET", "/api/v1/positions/{id}/versions", anyone, s.positionsVersions, apiDoc{Summary: "Every stored version of a positions file", Query: noParams{}, Resp: positionsVersionsView{}}},
		{"GET", "/api/v1/positions/{id}/matrix", anyone, s.positionsMatrix, apiDoc{Summary: "Parties x terms on a date: each stance, its condition and its source", Query: positionsMatrixParams{}, Resp: app.PositionsMatrix{}}},
		{"GET", "/api/v1/positions/{id}/common-ground", anyone, s.positionsGround, apiDoc{Summary: "The packages of terms every party accepts on a date, computed exactly, the largest first, and what blocks the others", Query: positionsGroundParams{}, Resp: app.PositionsGround{}}},
		{"GET", "/api/v1/positions/{id}/timeline", anyone, s.positionsTimeline, apiDoc{Summary: "When each stance changed, and what that changed in the common ground", Query: positionsTimelineParams{}, Resp: app.PositionsTimeline{}}},
		{"GET", "/api/v1/findings/export", anyone, s.exportFindings, apiDoc{Summary: "Every finding the filters select, as a file: CSV, JSON Lines or GeoJSON, as truce findings --output writes it",
			Query: exportParams{}, Produces: []string{"text/csv", "application/x-ndjson", "application/geo+json"}}},
		{"GET", "/api/v1/findings", anyone, s.findings, apiDoc{Summary: "Findings, a page at a time", Query: findingsParams{}, Resp: app.FindingPage{}}},
		{"GET", "/api/v1/incidents", insider, s.incidents, apiDoc{Summary: "Incidents, a page at a time", Query: incidentsParams{}, Resp: app.IncidentList{}}},
		{"GET", "/api/v1/incidents/export", insider, s.exportIncidents, apiDoc{Summary: "Every incident the filters select, as a file: CSV, JSON Lines or GeoJSON, as truce incident list --output writes it",
			Query: incidentExportParams{}, Produces: []string{"text/csv", "application/x-ndjson", "application/geo+json"}}},
		{"GET", "/api/v1/incidents/{id}", insider, s.incident, apiDoc{Summary: "One incident with its members and releases", Resp: app.IncidentPage{}}},
		{"GET", "/api/v1/records", insider, s.records, apiDoc{Summary: "Events or claims, a page at a time", Query: recordsParams{}, Resp: app.RecordPage{}}},
		{"GET", "/api/v1/records/{kind}/{id}", insider, s.record, apiDoc{Summary: "One event or claim", Resp: app.Record{}}},
		{"GET", "/api/v1/imports", insider, s.imports, apiDoc{Summary: "The import batches", Resp: importsView{}}},
		{"GET", "/api/v1/imports/{id}/rejects", insider, s.importRejects, apiDoc{Summary: "The rows an import batch rejected, a page at a time", Query: rejectsParams{}, Resp: app.RejectPage{}}},
		{"POST", "/api/v1/imports", Access{Action: auth.Import}, s.submitImport, apiDoc{Summary: "Queue the import of a file: multipart form data, an item part (JSON: format, mapping...) and then a file part; answers the job (202)",
			Upload: app.ImportOptions{}, Resp: app.Job{}, Status: 202, MaxBody: s.cfg.MaxUpload}},
		{"POST", "/api/v1/evaluations", Access{Action: auth.Import}, s.submitEvaluation, apiDoc{Summary: "Queue an evaluation; answers the job (202)", Body: app.EvaluateJob{}, Resp: app.Job{}, Status: 202}},
		{"POST", "/api/v1/incident-builds", Access{Action: auth.EditIncidents}, s.submitIncidentBuild, apiDoc{Summary: "Queue an incident build; answers the job (202)", Body: app.IncidentsJob{}, Resp: app.Job{}, Status: 202}},
		{"GET", "/api/v1/jobs", insider, s.jobs, apiDoc{Summary: "Jobs (imports, evaluations, incident builds), newest first, a page at a time", Query: jobsParams{}, Resp: app.JobPage{}}},
		{"GET", "/api/v1/jobs/{id}", insider, s.job, apiDoc{Summary: "One job: its state, progress, result or error", Resp: app.Job{}}},
		{"GET", "/api/v1/jobs/{id}/events", insider, s.jobEvents, apiDoc{Summary: "A job as server-sent events: a job event at each change, then an end event", Stream: true}},
		{"GET", "/api/v1/audit", insider, s.auditEntries, apiDoc{Summary: "Audit log entries", Query: auditParams{}, Resp: auditView{}}},
		{"GET", "/api/v1/audit/head", insider, s.auditHead, apiDoc{Summary: "The audit log's head (seq and hash), to keep outside the database", Resp: store.AuditAnchor{}}},
		{"GET", "/api/v1/audit/verify", insider, s.auditVerify, apiDoc{Summary: "Check the audit log's hash chain (and with state, the database against it)", Query: verifyParams{}, Resp: app.AuditReport{}}},
		{"GET", "/api/v1/review", anyone, s.reviewQueue, apiDoc{Summary: "The review queue", Query: reviewParams{}, Resp: app.ReviewQueue{}}},
		{"GET", "/api/v1/review/{kind}/{id}", anyone, s.reviewPage, apiDoc{Summary: "A finding's or incident's review page; the ETag is its revision", Resp: app.ReviewPage{}}},
		{"POST", "/api/v1/review/{kind}/{id}/transitions", Access{Action: auth.Review}, s.transition, apiDoc{Summary: "A review step, applied only if the subject is as seen (If-Match)", Body: transitionRequest{}, Resp: app.StepResult{}}},
		{"POST", "/api/v1/review/transitions", Access{Action: auth.Review}, s.transitions, apiDoc{Summary: "One review step on many subjects, named or selected, each on its own: each one's result", Body: transitionsRequest{}, Resp: transitionsView{}}},
		{"GET", "/api/v1/review/{kind}/{id}/evidence", anyone, s.evidenceList, apiDoc{Summary: "Evidence items of a subject", Query: evidenceParams{}, Resp: evidenceView{}}},
		{"POST", "/api/v1/review/{kind}/{id}/evidence", Access{Action: auth.AddEvidence}, s.addEvidence, apiDoc{Summary: "Add an evidence item: multipart form data, an item part (JSON) and an optional file part",
			Upload: evidenceRequest{}, Resp: app.Evidence{}, Status: 201, MaxBody: app.MaxEvidenceFile + maxItemPart + 64<<10}},
		{"GET", "/api/v1/review/{kind}/{id}/evidence/{sha256}", anyone, s.evidenceFile, apiDoc{Summary: "An uploaded evidence file, as an attachment", Binary: true}},
		{"GET", "/api/v1/users", anyone, s.listUsers, apiDoc{Summary: "Users", Resp: usersView{}}},
		{"POST", "/api/v1/users", admin, s.addUser, apiDoc{Summary: "Add a user; the answer holds their first token, once", Body: newUserRequest{}, Resp: addedUserView{}, Status: 201}},
		{"POST", "/api/v1/users/{name}/disable", admin, s.disableUser, apiDoc{Summary: "Disable a user", Body: reasonRequest{}, Resp: userStateView{}}},
		{"POST", "/api/v1/users/{name}/enable", admin, s.enableUser, apiDoc{Summary: "Enable a user", Resp: userStateView{}}},
		{"GET", "/api/v1/users/{name}/tokens", selfOrAdmin, s.listTokens, apiDoc{Summary: "A user's tokens (never the tokens themselves)", Resp: tokensView{}}},
		{"POST", "/api/v1/users/{name}/tokens", selfOrAdmin, s.newToken, apiDoc{Summary: "A new token, shown once", Body: labelRequest{}, Resp: issuedToken{}, Status: 201}},
		{"DELETE", "/api/v1/users/{name}/tokens/{id}", selfOrAdmin, s.revokeToken, apiDoc{Summary: "Revoke a token"}},
	}
}

// routes builds the mux: the API's routes, health and metrics.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /api/v1/openapi.json", s.openapiJSON)
	for _, rt := range s.routeTable() {
		mux.Handle(rt.Method+" "+rt.Pattern, s.endpoint(rt))
	}
	s.mountWeb(mux) // the dashboard: web.go
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := allowed(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeError(w, r, &app.Error{Kind: app.KindInvalid, Err: errMethod{r.Method, r.URL.Path, allow}})
			return
		}
		s.writeError(w, r, &app.Error{Kind: app.KindNotFound, Err: errNoRoute(r)})
	})
	return s.observe(mux)
}

// allowed returns the methods some route serves r's path with: the mux's
// catch-all answers for a method no route has, and this tells 405 from 404.
func allowed(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "/api/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	return allow
}

type errMethod struct {
	method, path string
	allow        []string
}

func (e errMethod) Error() string {
	return e.method + " is not a method of " + e.path + ": use " + strings.Join(e.allow, " or ")
}

// endpoint adapts a route: the caller's bearer token makes the App it
// calls, and an error becomes a JSON answer in one place.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.MaxBody
		if rt.Doc.MaxBody > 0 {
			limit = rt.Doc.MaxBody // an upload's own bound
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		ap := s.app.As(bearer(r))
		err := s.admit(r, ap, rt.Access)
		if err == nil && r.Method == http.MethodGet {
			ap, err = ap.Reading(r.Context()) // the replica's, if there is one
		}
		if err == nil {
			err = rt.Handle(w, r, ap)
		}
		if err != nil {
			if app.KindOf(err) == app.KindUnauthenticated {
				s.failures.fail(clientIP(r), s.now())
			}
			s.writeError(w, r, err)
		}
	})
}

// admit checks what the route table says a route asks of its caller. A
// client address that failed to authenticate too often lately is turned
// away before its token is even looked up.
func (s *Server) admit(r *http.Request, ap *app.App, acc Access) error {
	if acc.Public {
		return nil
	}
	if s.failures.blocked(clientIP(r), s.now()) {
		return errTooManyFailures
	}
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	if acc.Action == "" || (acc.Self && r.PathValue("name") == who.Name) {
		return nil
	}
	_, err = ap.Authorize(r.Context(), acc.Action)
	return err
}

// bearer is the token of an "Authorization: Bearer TOKEN" header, "" if
// there is none.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

type noRouteError struct{ method, path string }

func (e noRouteError) Error() string { return "no route " + e.method + " " + e.path }

func errNoRoute(r *http.Request) error { return noRouteError{r.Method, r.URL.Path} }
