package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
)

// navItem is one entry of the site's navigation; a page not built yet has
// no Path and is shown, not linked.
type navItem struct {
	Key, Label, Path string
}

var nav = []navItem{
	{"overview", "Overview", "/"},
	{"findings", "Findings", "/findings"},
	{"incidents", "Incidents", "/incidents"},
	{"agreements", "Agreements", "/agreements"},
	{"map", "Map", "/map"},
	{"timeline", "Timeline", "/timeline"},
	{"positions", "Positions", "/positions"},
	{"review", "Review", "/review"},
	{"imports", "Imports", "/imports"},
	{"reports", "Reports", "/reports"},
	{"audit", "Audit", "/audit"},
	{"users", "Users", "/users"},
}

// view is what the layout renders around a page's content.
type view struct {
	Title string
	Nav   []navItem
	Here  string    // the nav key of the page
	Who   app.Actor // who is looking
	Data  any       // the page's own
	// CSRF is the token every form sends (session.go); Session: the
	// caller signed in with a session, which the header offers to end.
	CSRF    string
	Session bool
}

// pages are the parsed templates: each page's template with the layout.
type pages struct {
	byName map[string]*template.Template
}

// pageNames are the templates under templates/ that are pages; layout.html
// is in each.
var pageNames = []string{"overview", "map", "timeline", "error", "login", "review", "subject", "positions"}

func parsePages(fsys fs.FS, st *static) (*pages, error) {
	funcs := template.FuncMap{
		"static":  st.url,
		"when":    when,
		"label":   func(s string) string { return strings.ReplaceAll(s, "_", " ") },
		"reading": readingName,
		"base":    filepath.Base,
	}
	ps := &pages{byName: map[string]*template.Template{}}
	maps.Copy(funcs, browseFuncs)
	for _, name := range slices.Concat(pageNames, browsePages, opsPages) {
		t, err := template.New(name).Funcs(funcs).ParseFS(fsys, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		ps.byName[name] = t
	}
	return ps, nil
}

// when is a time as the dashboard shows one with no agreement's zone to
// hand: in UTC, said so.
func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2 Jan 2006 15:04") + " UTC"
}

// readingName names a reading in a sentence: "the agreed reading" (the
// text all parties signed), "RU's reading" (a party's).
func readingName(id string) string {
	if id == agreement.AgreedReading {
		return "the agreed reading"
	}
	return id + "'s reading"
}

// render executes page into a buffer first, so a failed template is a
// clean 500, not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	v.Nav = nav
	v.CSRF, v.Session = csrfToken(w, r), SessionToken(r) != "" && v.Who.Name != ""
	var buf bytes.Buffer
	if err := h.pages.byName[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		h.opts.Logger.ErrorContext(r.Context(), "web: render", "page", name, "err", err)
		http.Error(w, "internal error: see the server's log", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageFunc is one page's handler: it calls use cases on ap and renders,
// or returns the error to show.
type pageFunc func(w http.ResponseWriter, r *http.Request, ap *app.App) error

// page runs fn as the request's caller; an error becomes the error page
// with its status.
func (h *Handler) page(fn pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ap, err := h.opts.App(r)
		if err == nil {
			err = fn(w, r, ap)
		}
		if err != nil {
			h.fail(w, r, err)
		}
	})
}

// fail renders err as the error page. An internal error's detail stays in
// the log. A caller who must sign in gets the login form, which brings
// them back to the page.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := h.opts.Status(err)
	if status == http.StatusUnauthorized {
		h.mustSignIn(w, r, err)
		return
	}
	msg := err.Error()
	if status >= 500 {
		h.opts.Logger.ErrorContext(r.Context(), "web: page", "path", r.URL.Path, "err", err)
		msg = "internal error: see the server's log"
	}
	h.render(w, r, status, "error", view{Title: http.StatusText(status), Data: struct {
		Status  int
		Message string
	}{status, msg}})
}

// data serves fn's answer as JSON, for a page's script; an error is JSON
// too, {"error": {"message"}}, with its status.
func (h *Handler) data(fn func(r *http.Request, ap *app.App) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ap, err := h.opts.App(r)
		var v any
		if err == nil {
			v, err = fn(r, ap)
		}
		status := http.StatusOK
		if err != nil {
			status = h.opts.Status(err)
			msg := err.Error()
			if status >= 500 {
				h.opts.Logger.ErrorContext(r.Context(), "web: data", "path", r.URL.Path, "err", err)
				msg = "internal error: see the server's log"
			}
			v = map[string]any{"error": map[string]string{"message": msg}}
		}
		b, err := json.Marshal(v)
		if err != nil {
			h.opts.Logger.ErrorContext(r.Context(), "web: data", "path", r.URL.Path, "err", err)
			http.Error(w, "internal error: see the server's log", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		w.Write(b)
	})
}
