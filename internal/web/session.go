package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/app"
)

// The dashboard's cookies. Both are HttpOnly and SameSite=Lax, and Secure
// when the request came over TLS.
const (
	// sessionCookie holds the session token (app.Login); the store keeps
	// only its SHA-256.
	sessionCookie = "truce_session"
	// csrfCookie holds a random value that stands in for the session, to
	// make form tokens before there is one (the login form) or on a store
	// without users, where there never is.
	csrfCookie = "truce_csrf"
	// csrfField is the hidden form field of the CSRF token.
	csrfField = "csrf"
	// maxForm bounds a form's body.
	maxForm = 64 << 10
)

// SessionToken is the session token the request's cookie carries, "" if
// none: what the server acts for (app.InSession).
func SessionToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, expires time.Time) {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	}
	switch {
	case value == "":
		c.MaxAge = -1 // delete it
	case !expires.IsZero():
		c.Expires = expires
	}
	http.SetCookie(w, c)
}

// csrfToken is the token the request's forms carry: derived from the
// session token, or from the CSRF cookie where there is no session (set
// here if missing). Neither cookie can be read by a script, nor sent by
// another site's form (SameSite=Lax), so another site cannot know it.
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if tok := SessionToken(r); tok != "" {
		return deriveCSRF(tok)
	}
	c, err := r.Cookie(csrfCookie)
	if err == nil && len(c.Value) == 64 {
		return deriveCSRF(c.Value)
	}
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	seed := hex.EncodeToString(b)
	setCookie(w, r, csrfCookie, seed, time.Time{})
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: seed}) // for the rest of this request
	return deriveCSRF(seed)
}

func deriveCSRF(seed string) string {
	m := hmac.New(sha256.New, []byte(seed))
	m.Write([]byte("truce csrf v1"))
	return hex.EncodeToString(m.Sum(nil))
}

// errCSRF: a form without the token of the session it is sent in: from
// another site, or from a page older than the session.
var errCSRF error = &app.Error{Kind: app.KindDenied, Err: errors.New("this form has expired or did not come from this dashboard: reload the page and send it again")}

// checkCSRF parses r's form and checks its CSRF token against the
// request's cookies.
func checkCSRF(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return &app.Error{Kind: app.KindInvalid, Err: err}
	}
	return validCSRF(r, r.PostForm.Get(csrfField))
}

// validCSRF checks a form's CSRF token, got, against the request's
// cookies: what checkCSRF does once the form is parsed, and an upload's
// streamed form (imports.go) before its file is read.
func validCSRF(r *http.Request, got string) error {
	var seed string
	if seed = SessionToken(r); seed == "" {
		if c, err := r.Cookie(csrfCookie); err == nil {
			seed = c.Value
		}
	}
	if seed == "" || got == "" || !hmac.Equal([]byte(got), []byte(deriveCSRF(seed))) {
		return errCSRF
	}
	return nil
}

// loginData is what the login page shows.
type loginData struct {
	Name, Next, Message string
}

// loginPage: GET /login, the sign-in form; a caller who needs none (on
// a store without users, or signed in) goes on to where they were going.
func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	d := loginData{Next: localPath(r.URL.Query().Get("next"))}
	_, err := h.opts.App(r)
	switch {
	case err == nil:
		http.Redirect(w, r, d.Next, http.StatusSeeOther)
		return
	case SessionToken(r) != "":
		setCookie(w, r, sessionCookie, "", time.Time{}) // it has ended
		r.Header.Del("Cookie")
	}
	h.renderLogin(w, r, http.StatusOK, d)
}

func (h *Handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	h.render(w, r, status, "login", view{Title: "Sign in", Here: "login", Data: d})
}

// login: POST /login. A wrong name or password is the form again with 401;
// a right one sets the session cookie and goes where the user was going.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if err := checkCSRF(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	d := loginData{Name: strings.TrimSpace(r.PostForm.Get("name")), Next: localPath(r.PostForm.Get("next"))}
	s, err := h.opts.Login(r, d.Name, r.PostForm.Get("password"))
	if err != nil {
		status := h.opts.Status(err)
		if status >= 500 {
			h.fail(w, r, err)
			return
		}
		d.Message = err.Error()
		h.renderLogin(w, r, status, d)
		return
	}
	if old := SessionToken(r); old != "" {
		// Signing in again, maybe as someone else: the old session ends.
		if err := h.opts.Logout(r, old); err != nil {
			h.opts.Logger.WarnContext(r.Context(), "web: end the session replaced by a login", "err", err)
		}
	}
	setCookie(w, r, sessionCookie, s.Token, s.ExpiresAt)
	setCookie(w, r, csrfCookie, "", time.Time{})
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// logout: POST /logout ends the session and forgets its cookie.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := checkCSRF(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.opts.Logout(r, SessionToken(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	setCookie(w, r, sessionCookie, "", time.Time{})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// localPath is p if it is a path of this server, else "/": a login never
// sends the browser to another site.
func localPath(p string) string {
	u, err := url.Parse(p)
	if err != nil || p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, `\`) || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return p
}

// mustSignIn answers a page's caller who is not signed in (or whose
// session ended: its cookie goes): a browser's GET goes to the login
// form, which brings it back; anything else gets the form with 401 and
// the reason (a bad bearer token, a form sent after the session ended).
func (h *Handler) mustSignIn(w http.ResponseWriter, r *http.Request, err error) {
	if SessionToken(r) != "" {
		setCookie(w, r, sessionCookie, "", time.Time{})
		r.Header.Del("Cookie") // the form's token is the CSRF cookie's now
	}
	if r.Method == http.MethodGet && r.Header.Get("Authorization") == "" {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	h.renderLogin(w, r, http.StatusUnauthorized, loginData{Message: err.Error()})
}
