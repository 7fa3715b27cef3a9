package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// agreementFile is the body that carries an agreement file: its name (for
// messages) and its YAML as written.
type agreementFile struct {
	Name string `json:"name"`
	YAML string `json:"yaml"`
}

// lintedAgreement answers a file that is valid.
type lintedAgreement struct {
	Valid   bool   `json:"valid"`
	ID      string `json:"id"`
	Version int    `json:"version"`
	Title   string `json:"title"`
}

// parse reads the body's agreement within the default YAML limits; an
// invalid file is a 400 whose body lists every problem with its line and
// column.
func parseAgreementBody(r *http.Request) (app.AgreementFile, error) {
	var req agreementFile
	if err := readJSON(r, &req); err != nil {
		return app.AgreementFile{}, err
	}
	if req.Name == "" {
		req.Name = "agreement.yaml"
	}
	return app.ParseAgreement(req.Name, []byte(req.YAML), strictyaml.DefaultLimits())
}

// lintAgreement: POST /api/v1/agreements/lint, as 'truce agreement lint'.
func (s *Server) lintAgreement(w http.ResponseWriter, r *http.Request, _ *app.App) error {
	f, err := parseAgreementBody(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, lintedAgreement{Valid: true, ID: f.Agreement.ID, Version: f.Agreement.Version, Title: f.Agreement.Title})
	return nil
}

// importAgreement: POST /api/v1/agreements, as 'truce agreement import':
// storing the same file again changes nothing (created false); other
// content under a stored version is 409.
func (s *Server) importAgreement(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	f, err := parseAgreementBody(r)
	if err != nil {
		return err
	}
	done, err := ap.ImportAgreements(r.Context(), []app.AgreementFile{f})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, done[0])
	return nil
}

// auditHead: GET /api/v1/audit/head: the last entry's seq and hash, to keep
// outside the database.
func (s *Server) auditHead(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	head, err := ap.AuditHead(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, head)
	return nil
}

type verifyParams struct {
	State bool `query:"state" doc:"also check the database's review statuses, roles and enabled flags against the log"`
}

// auditVerify: GET /api/v1/audit/verify?state=: the chain checked; a
// broken log is a report with its first problem, not an error.
func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p verifyParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	rep, err := ap.VerifyAudit(r.Context(), nil, p.State)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// agreementVersion: GET /api/v1/agreements/{id}/versions/{version}
// ?reading=, a stored version as 'truce agreement show' prints a file.
func (s *Server) agreementVersion(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p agreementVersionParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	v := r.PathValue("version")
	version, err := strconv.Atoi(v)
	if err != nil {
		return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("version %q is not a version number", v)}
	}
	n, err := ap.AgreementVersion(r.Context(), r.PathValue("id"), version, p.Reading, strictyaml.DefaultLimits())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

// agreementDiff: GET /api/v1/agreements/{id}/diff?from=N&to=M, two stored
// versions compared as 'truce agreement diff' compares two files.
func (s *Server) agreementDiff(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p diffParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	if err := requireParams(r, "from", "to"); err != nil {
		return err
	}
	cmp, err := ap.AgreementDiff(r.Context(), r.PathValue("id"), p.From, p.To, strictyaml.DefaultLimits())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cmp)
	return nil
}
