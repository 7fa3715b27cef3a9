package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
)

// Bounds of the upload form's parts other than the file: a field holds a
// word, a mapping file a page of YAML.
const (
	maxUploadField   = 4 << 10
	maxUploadMapping = 1 << 20
	// recentJobs is how many import jobs the imports page lists.
	recentJobs = 20
	// rejectsPage is how many rejected rows a batch's page shows at once.
	rejectsPage = 50
)

// importsData is what the imports page shows.
type importsData struct {
	Batches []app.ImportBatch // newest first
	Jobs    []jobRow          // the latest import jobs, newest first
	// CanImport: the caller may upload (analyst, admin), so the form is
	// shown, with the formats and the bundled mappings to choose from.
	CanImport bool
	Formats   []uploadFormat
	Mappings  []string
	Form      uploadForm // a refused upload's choices, to send again
	Message   string     // why the last upload was refused
}

// jobRow is an import job as the page lists it: with its file's name.
type jobRow struct {
	app.Job
	File string
}

type uploadFormat struct {
	Name, Help   string
	NeedsMapping bool
}

// uploadForm is the upload form as sent: its fields other than the file.
type uploadForm struct {
	CSRF, Format, Source, Bundled string
	Mapping, MappingFile          string // an uploaded mapping's text and name
}

// importsPage: GET /imports, the import batches with their counts, the
// latest import jobs, and the upload form for a caller who may import.
// Imports are the team's work: a viewer is refused, as by the API.
func (h *Handler) importsPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	return h.renderImports(w, r, ap, http.StatusOK, uploadForm{}, "")
}

func (h *Handler) renderImports(w http.ResponseWriter, r *http.Request, ap *app.App, status int, form uploadForm, msg string) error {
	ctx := r.Context()
	who, err := ap.Authorize(ctx, auth.ReadUnpublished)
	if err != nil {
		return err
	}
	batches, err := ap.Imports(ctx)
	if err != nil {
		return err
	}
	slices.Reverse(batches)
	jobs, err := ap.JobsPage(ctx, app.JobQuery{Kind: app.JobImport}, "", recentJobs)
	if err != nil {
		return err
	}
	d := importsData{Batches: batches, Form: form, Message: msg}
	for _, j := range jobs.Jobs {
		var p app.ImportJob
		if err := json.Unmarshal(j.Params, &p); err != nil {
			return fmt.Errorf("import job %d: %w", j.ID, err)
		}
		d.Jobs = append(d.Jobs, jobRow{j, p.File})
	}
	if _, err := ap.Authorize(ctx, auth.Import); err == nil {
		d.CanImport = true
		for _, f := range pipeline.Formats() {
			d.Formats = append(d.Formats, uploadFormat{f.Name, f.Help, f.NeedsMapping})
		}
		if d.Mappings, err = bundledMappings(); err != nil {
			return err
		}
	}
	h.render(w, r, status, "imports", view{Title: "Imports", Here: "imports", Who: who, Data: d})
	return nil
}

// bundledMappings are the mapping files that come with truce
// (examples/mappings), which the form offers by name.
func bundledMappings() ([]string, error) {
	files, err := fs.Glob(truce.Examples, "examples/mappings/*.yaml")
	if err != nil {
		return nil, err
	}
	for i, f := range files {
		files[i] = path.Base(f)
	}
	return files, nil
}

// upload: POST /imports, the upload form as multipart form data: csrf,
// format, source, mapping (a bundled mapping's name) or mapping_file, and
// last the file, which streams into the store as the job's (never held
// whole in memory) once the CSRF token is checked. The job queued, the
// browser goes to its page (303); a refused upload is the imports page
// again with the reason and the refusal's status.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if h.opts.MaxUpload > 0 {
		r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxUpload+maxUploadMapping+maxForm)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return opsInvalid("an upload is sent as multipart/form-data: %w", err)
	}
	var f uploadForm
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			if err := validCSRF(r, f.CSRF); err != nil {
				return err
			}
			return h.refuseUpload(w, r, ap, f, opsInvalid("no file: choose the file to import"))
		}
		if err != nil {
			return opsInvalid("the upload's form: %w", err)
		}
		switch name := part.FormName(); name {
		case "file":
			if err := validCSRF(r, f.CSRF); err != nil {
				return err
			}
			if part.FileName() == "" {
				return h.refuseUpload(w, r, ap, f, opsInvalid("no file: choose the file to import"))
			}
			opts, err := f.options()
			if err != nil {
				return h.refuseUpload(w, r, ap, f, err)
			}
			j, err := ap.SubmitImport(r.Context(), app.ImportJob{File: part.FileName(), ImportOptions: opts}, part)
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					err = opsInvalid("the file is over the %d MiB an upload may be", h.opts.MaxUpload>>20)
				}
				return h.refuseUpload(w, r, ap, f, err)
			}
			if h.opts.Submitted != nil {
				h.opts.Submitted()
			}
			http.Redirect(w, r, "/jobs/"+strconv.FormatInt(j.ID, 10), http.StatusSeeOther)
			return nil
		case "mapping_file":
			b, err := readPart(part, maxUploadMapping)
			if err != nil {
				return err
			}
			f.Mapping, f.MappingFile = string(b), part.FileName()
		case csrfField, "format", "source", "mapping":
			b, err := readPart(part, maxUploadField)
			if err != nil {
				return err
			}
			v := strings.TrimSpace(string(b))
			switch name {
			case csrfField:
				f.CSRF = v
			case "format":
				f.Format = v
			case "source":
				f.Source = v
			default:
				f.Bundled = v
			}
		default:
			return opsInvalid("unknown field %q in the upload form", name)
		}
	}
}

// options are the import's options the form chose: an uploaded mapping
// file before a bundled one.
func (f uploadForm) options() (app.ImportOptions, error) {
	o := app.ImportOptions{Format: f.Format, Source: f.Source, Mapping: f.Mapping, MappingFile: f.MappingFile}
	if o.Mapping == "" && f.Bundled != "" {
		names, err := bundledMappings()
		if err != nil {
			return o, err
		}
		if !slices.Contains(names, f.Bundled) {
			return o, opsInvalid("no bundled mapping %q (one of %s)", f.Bundled, strings.Join(names, ", "))
		}
		b, err := fs.ReadFile(truce.Examples, "examples/mappings/"+f.Bundled)
		if err != nil {
			return o, err
		}
		o.Mapping, o.MappingFile = string(b), f.Bundled
	}
	return o, nil
}

// refuseUpload shows the imports page again with why the upload was
// refused, with the refusal's status; an internal error is the error page.
func (h *Handler) refuseUpload(w http.ResponseWriter, r *http.Request, ap *app.App, f uploadForm, err error) error {
	status := h.opts.Status(err)
	if status >= 500 || status == http.StatusUnauthorized || status == http.StatusForbidden {
		return err
	}
	f.Mapping = "" // an uploaded mapping is chosen again, not echoed
	return h.renderImports(w, r, ap, status, f, err.Error())
}

// readPart reads a form part of at most limit bytes.
func readPart(p io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, opsInvalid("the upload's form: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, opsInvalid("a field of the upload form is over %d KiB", limit>>10)
	}
	return b, nil
}

// batchData is what an import batch's page shows.
type batchData struct {
	app.RejectPage
	After string // the cursor this page starts after, "" for the first
}

// batchPage: GET /imports/{id}?after=, an import batch and the rows it
// rejected (line, field, reason, value), a page at a time.
func (h *Handler) batchPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Authorize(r.Context(), auth.ReadUnpublished)
	if err != nil {
		return err
	}
	id, err := opsID(r, "id")
	if err != nil {
		return err
	}
	after := r.URL.Query().Get("after")
	page, err := ap.ImportRejectsPage(r.Context(), id, after, rejectsPage)
	if err != nil {
		return err
	}
	title := "Import " + strconv.FormatInt(id, 10)
	h.render(w, r, http.StatusOK, "batch", view{Title: title, Here: "imports", Who: who, Data: batchData{page, after}})
	return nil
}
