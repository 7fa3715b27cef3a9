package server

import (
	"net/http"
	"strconv"

	"github.com/truce-monitor/truce/internal/app"
)

// whoami answers who the token is: what a client shows its user.
func (s *Server) whoami(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, whoamiView{who.Name, who.Role, who.Local})
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	users, err := ap.ListUsers(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, usersView{users})
	return nil
}

// newUserRequest is the body of POST /api/v1/users.
type newUserRequest struct {
	Name       string `json:"name"`
	Role       string `json:"role"`
	Password   string `json:"password,omitempty"`
	TokenLabel string `json:"token_label,omitempty"`
}

// issuedToken answers a request that made a token: the one time it shows.
type issuedToken struct {
	User  string `json:"user"`
	Label string `json:"label"`
	Token string `json:"token"`
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var req newUserRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	is, err := ap.AddUser(r.Context(), app.NewUser{Name: req.Name, Role: req.Role, Password: req.Password, TokenLabel: req.TokenLabel})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, addedUserView{is.User, issuedToken{is.User.Name, is.Label, is.Token}})
	return nil
}

// reasonRequest is a body that says why, for the audit log.
type reasonRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var req reasonRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	return s.setDisabled(w, r, ap, true, req.Reason)
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	return s.setDisabled(w, r, ap, false, "")
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, ap *app.App, disabled bool, reason string) error {
	name := r.PathValue("name")
	if err := ap.SetUserDisabled(r.Context(), name, disabled, reason); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userStateView{name, disabled})
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	tokens, err := ap.Tokens(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tokensView{tokens})
	return nil
}

// labelRequest is the body of POST .../tokens.
type labelRequest struct {
	Label string `json:"label"`
}

func (s *Server) newToken(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var req labelRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	name := r.PathValue("name")
	token, err := ap.NewToken(r.Context(), name, req.Label)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, issuedToken{name, req.Label, token})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := ap.RevokeToken(r.Context(), r.PathValue("name"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type badIDError string

func (e badIDError) Error() string { return strconv.Quote(string(e)) + " is not an id" }

func errBadID(s string) error { return badIDError(s) }
