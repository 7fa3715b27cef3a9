package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/vocab"
)

// usersData is what the users page shows.
type usersData struct {
	Users []userRow
	Roles []vocab.Role
	// Message says what came of the last form sent, Failed if it was
	// refused; Issued is a token just made, shown this once.
	Message string
	Failed  bool
	Issued  *app.Issued
	Form    struct{ Name, Role string } // a refused addition's, to send again
}

// userRow is a user with their tokens (never the tokens themselves: the
// store has their hashes only).
type userRow struct {
	auth.User
	Tokens []auth.APIToken
	Self   bool // the admin looking: no disable button
}

// usersPage: GET /users, for admins only (others get the 403 page): the
// users, their roles, whether disabled, and their tokens by label; forms
// to add a user and to disable or enable one, as 'truce user' and the
// API do.
func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	return h.renderUsers(w, r, ap, http.StatusOK, usersData{})
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, ap *app.App, status int, d usersData) error {
	ctx := r.Context()
	who, err := ap.Authorize(ctx, auth.ManageUsers)
	if err != nil {
		return err
	}
	users, err := ap.ListUsers(ctx)
	if err != nil {
		return err
	}
	d.Roles = vocab.Roles()
	for _, u := range users {
		row := userRow{User: u, Self: u.Name == who.Name}
		if !u.Disabled { // a disabled user's account is closed to changes and listings
			if row.Tokens, err = ap.Tokens(ctx, u.Name); err != nil {
				return err
			}
		}
		d.Users = append(d.Users, row)
	}
	h.render(w, r, status, "users", view{Title: "Users", Here: "users", Who: who, Data: d})
	return nil
}

// addUser: POST /users (name, role, password, csrf), a user added as
// 'truce user add' does: with a password to sign in here, and a first
// token for the API, shown once.
func (h *Handler) addUser(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if err := checkCSRF(w, r); err != nil {
		return err
	}
	f := r.PostForm
	nu := app.NewUser{Name: strings.TrimSpace(f.Get("name")), Role: f.Get("role"), Password: f.Get("password"), TokenLabel: "added in the dashboard"}
	who, err := ap.Authorize(r.Context(), auth.ManageUsers)
	if err != nil {
		return err
	}
	if who.Local && nu.Password == "" {
		// Once added, the first user is the only way into these pages.
		err = opsInvalid("the first user needs a password, to sign in here once users are on")
	} else {
		var is app.Issued
		if is, err = ap.AddUser(r.Context(), nu); err == nil {
			return h.addedUser(w, r, ap, is)
		}
	}
	d := usersData{Failed: true, Message: "Not added: " + err.Error()}
	d.Form.Name, d.Form.Role = nu.Name, nu.Role
	return h.refuseUsers(w, r, ap, err, d)
}

// addedUser shows the users page with the user just added and their
// first token, once; after a store's first user, the login form.
func (h *Handler) addedUser(w http.ResponseWriter, r *http.Request, ap *app.App, is app.Issued) error {
	d := usersData{Message: "Added " + is.User.Name + " as " + string(is.User.Role) + "."}
	if is.Token != "" {
		d.Issued = &is
	}
	if is.First {
		// The store's first user: from now on, pages need a login.
		http.Redirect(w, r, "/login?next=/users", http.StatusSeeOther)
		return nil
	}
	return h.renderUsers(w, r, ap, http.StatusOK, d)
}

// userState: POST /users/{name}/disable (reason, csrf) or .../enable
// (csrf).
func (h *Handler) userState(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if err := checkCSRF(w, r); err != nil {
		return err
	}
	name, action := r.PathValue("name"), r.PathValue("action")
	if action != "disable" && action != "enable" {
		return &app.Error{Kind: app.KindNotFound, Err: errors.New("no such action on a user: disable or enable")}
	}
	disable := action == "disable"
	if err := ap.SetUserDisabled(r.Context(), name, disable, r.PostForm.Get("reason")); err != nil {
		return h.refuseUsers(w, r, ap, err, usersData{Failed: true, Message: "Not changed: " + err.Error()})
	}
	return h.renderUsers(w, r, ap, http.StatusOK, usersData{Message: map[bool]string{true: "Disabled ", false: "Enabled "}[disable] + name + "."})
}

// refuseUsers shows the users page with why a form was refused, with the
// refusal's status; a caller who may not manage users gets the error page.
func (h *Handler) refuseUsers(w http.ResponseWriter, r *http.Request, ap *app.App, err error, d usersData) error {
	if _, aerr := ap.Authorize(r.Context(), auth.ManageUsers); aerr != nil {
		return aerr
	}
	status := h.opts.Status(err)
	if status >= 500 {
		return err
	}
	return h.renderUsers(w, r, ap, status, d)
}
