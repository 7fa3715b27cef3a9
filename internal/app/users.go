package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// NewUser is a user to add.
type NewUser struct {
	Name, Role string
	// Password, if not empty, is stored as an argon2id hash.
	Password string
	// TokenLabel labels the first token.
	TokenLabel string
}

// Issued is a user with a token just made for them: the only time the
// token exists outside the caller's hands.
type Issued struct {
	User  auth.User
	Token string
	Label string
	// First: the user was the store's first, added without a token.
	First bool
}

// CheckNewUser validates a user's name and role before anything else is
// asked (a password read, a store opened).
func CheckNewUser(name, role string) error {
	if err := store.CheckUserName(name); err != nil {
		return withKind(KindInvalid, err)
	}
	if _, err := auth.ParseRole(role); err != nil {
		return withKind(KindInvalid, err)
	}
	return nil
}

// ErrFirstNotAdmin: a store's first user must be an admin.
var ErrFirstNotAdmin = errors.New("this database has no users yet: the first must be an admin")

// AddUser adds a user and makes their first token. On a store without
// users the first user, who must be an admin, is added without a token and
// recorded as adding themselves; otherwise an admin's token is needed.
func (a *App) AddUser(ctx context.Context, nu NewUser) (Issued, error) {
	if err := CheckNewUser(nu.Name, nu.Role); err != nil {
		return Issued{}, err
	}
	u := auth.User{Name: nu.Name, Role: vocab.Role(nu.Role)}
	if nu.Password != "" {
		var err error
		if u.PasswordHash, err = auth.HashPassword(nu.Password); err != nil {
			return Issued{}, err
		}
	}
	has, err := a.users(ctx)
	if err != nil {
		return Issued{}, err
	}
	by := nu.Name
	if has {
		who, err := a.actor(ctx, auth.ManageUsers)
		if err != nil {
			return Issued{}, fmt.Errorf("add user %q: %w", nu.Name, err)
		}
		by = who.Name
		if u, err = a.st.AddUser(ctx, u, by); err != nil {
			return Issued{}, fmt.Errorf("add user %q: %w", nu.Name, err)
		}
	} else {
		if u.Role != vocab.RoleAdmin {
			return Issued{}, withKind(KindInvalid, ErrFirstNotAdmin)
		}
		// Whoever can write the database is its first admin; a second
		// bootstrap racing this one gets ErrConflict.
		if u, err = a.st.AddFirstUser(ctx, u); err != nil {
			return Issued{}, fmt.Errorf("add user %q: %w", nu.Name, err)
		}
	}
	tok, err := a.issue(ctx, nu.Name, nu.TokenLabel, by)
	if err != nil {
		return Issued{}, err
	}
	return Issued{User: u, Token: tok, Label: nu.TokenLabel, First: !has}, nil
}

// issue makes a token for user, stores its hash and returns it.
func (a *App) issue(ctx context.Context, user, label, by string) (string, error) {
	token, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	if _, err := a.st.AddToken(ctx, auth.APIToken{User: user, Label: label, Hash: auth.HashToken(token)}, by); err != nil {
		return "", fmt.Errorf("store a token for %q: %w", user, err)
	}
	return token, nil
}

// ListUsers returns every user. On a store with users, any enabled user's
// token may list them.
func (a *App) ListUsers(ctx context.Context) ([]auth.User, error) {
	if _, err := a.Who(ctx); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return a.st.ListUsers(ctx)
}

// ErrDisableSelf: an admin cannot disable themselves, so a store always
// keeps an admin who can undo a disable.
var ErrDisableSelf = errors.New("you cannot disable yourself: ask another admin")

// SetUserDisabled disables (with a reason, for the audit log) or enables a
// user. An admin's token is needed.
func (a *App) SetUserDisabled(ctx context.Context, name string, disabled bool, reason string) error {
	verb := map[bool]string{true: "disable", false: "enable"}[disabled]
	if disabled && strings.TrimSpace(reason) == "" {
		return errorf(KindInvalid, "%s user %q: say why, for the audit log", verb, name)
	}
	who, err := a.actor(ctx, auth.ManageUsers)
	if err != nil {
		return fmt.Errorf("%s user %q: %w", verb, name, err)
	}
	if disabled && who.Name == name {
		return withKind(KindDenied, ErrDisableSelf)
	}
	if err := a.st.SetUserDisabled(ctx, name, disabled, who.Name, reason); err != nil {
		return fmt.Errorf("%s user %q: %w", verb, name, err)
	}
	return nil
}

// ErrTargetDisabled: a change to a disabled user's account waits until
// they are enabled.
var ErrTargetDisabled = errors.New("the user is disabled: enable them first")

// actOnUser checks a change to user name's account, which an admin may
// make for anyone and a user for themselves, and returns the actor. The
// user must exist and be enabled.
func (a *App) actOnUser(ctx context.Context, name string) (Actor, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return Actor{}, err
	}
	if !who.Local && who.Name != name {
		if err := auth.Allow(auth.User{Name: who.Name, Role: who.Role}, auth.ManageUsers); err != nil {
			return Actor{}, fmt.Errorf("%w (users may act on themselves only)", err)
		}
	}
	target, err := a.st.GetUser(ctx, name)
	if err != nil {
		return Actor{}, err
	}
	if target.Disabled {
		return Actor{}, withKind(KindConflict, ErrTargetDisabled)
	}
	return who, nil
}

// NewToken makes another token for user name. Earlier tokens keep working.
func (a *App) NewToken(ctx context.Context, name, label string) (string, error) {
	who, err := a.actOnUser(ctx, name)
	if err != nil {
		return "", fmt.Errorf("new token for %q: %w", name, err)
	}
	return a.issue(ctx, name, label, who.Name)
}

// CheckUser is the first step of a change to user name's account whose
// input the caller must still gather (a password from a terminal): it
// fails if the caller may not make it, so nothing is asked in vain.
func (a *App) CheckUser(ctx context.Context, name string) error {
	_, err := a.actOnUser(ctx, name)
	return err
}

// SetPassword sets user name's password, stored as an argon2id hash.
func (a *App) SetPassword(ctx context.Context, name, password string) error {
	who, err := a.actOnUser(ctx, name)
	if err != nil {
		return fmt.Errorf("set password of %q: %w", name, err)
	}
	if password == "" {
		return errorf(KindInvalid, "set password of %q: the password is empty", name)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return a.st.SetUserPassword(ctx, name, hash, who.Name)
}

// Tokens lists user name's tokens, revoked ones included.
func (a *App) Tokens(ctx context.Context, name string) ([]auth.APIToken, error) {
	if _, err := a.actOnUser(ctx, name); err != nil {
		return nil, fmt.Errorf("tokens of %q: %w", name, err)
	}
	return a.st.ListTokens(ctx, name)
}

// ErrNoSuchToken: the user has no token of that id.
var ErrNoSuchToken = errors.New("no such token")

// RevokeToken revokes user name's token id.
func (a *App) RevokeToken(ctx context.Context, name string, id int64) error {
	who, err := a.actOnUser(ctx, name)
	if err != nil {
		return fmt.Errorf("revoke a token of %q: %w", name, err)
	}
	err = a.st.RevokeToken(ctx, name, id, who.Name)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(KindNotFound, "%q has no token %d: %w", name, id, ErrNoSuchToken)
	}
	if err != nil {
		return fmt.Errorf("revoke token %d of %q: %w", id, name, err)
	}
	return nil
}

// RecoveryActor is the actor recorded for a recovery: not a user name
// (CheckUserName refuses parentheses), so no user can pass for it.
const RecoveryActor = "(recovery)"

// Recovered is what Recover did.
type Recovered struct {
	Issued
	Created bool // NAME did not exist and was added as an admin
	Enabled bool // NAME was a disabled admin and was enabled
}

// ErrRecoverNotAdmin: recovery makes tokens for admins only; it never
// changes a user's role.
var ErrRecoverNotAdmin = errors.New("recovery makes tokens for admins only")

// Recover issues an admin token without asking for one, for whoever can
// open the database directly (the SQLite file's owner, a PostgreSQL role
// with rights on truce's tables): the way back when the last admin token
// is lost. NAME is an existing admin (enabled if disabled) or a new name,
// added as an admin. Every step is audited under RecoveryActor, after a
// "user.recover" entry that says what was done. The command line offers
// it; the server never does.
func (a *App) Recover(ctx context.Context, name, label string) (Recovered, error) {
	if err := store.CheckUserName(name); err != nil {
		return Recovered{}, withKind(KindInvalid, err)
	}
	var r Recovered
	u, err := a.st.GetUser(ctx, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		r.Created = true
	case err != nil:
		return Recovered{}, err
	case u.Role != vocab.RoleAdmin:
		return Recovered{}, withKind(KindConflict, fmt.Errorf("%w: %q is a %s (name an admin, or a new user)", ErrRecoverNotAdmin, name, u.Role))
	default:
		r.Enabled = u.Disabled
	}
	detail, _ := json.Marshal(map[string]any{"created": r.Created, "enabled": r.Enabled, "label": label})
	if _, err := a.st.AppendAudit(ctx, store.AuditEntry{Actor: RecoveryActor, Action: "user.recover", Subject: "user/" + name, Detail: detail}); err != nil {
		return Recovered{}, fmt.Errorf("audit the recovery: %w", err)
	}
	if r.Created {
		if u, err = a.st.AddUser(ctx, auth.User{Name: name, Role: vocab.RoleAdmin}, RecoveryActor); err != nil {
			return Recovered{}, fmt.Errorf("add admin %q: %w", name, err)
		}
	}
	if r.Enabled {
		if err := a.st.SetUserDisabled(ctx, name, false, RecoveryActor, "recovery"); err != nil {
			return Recovered{}, fmt.Errorf("enable %q: %w", name, err)
		}
		u.Disabled = false
	}
	tok, err := a.issue(ctx, name, label, RecoveryActor)
	if err != nil {
		return Recovered{}, err
	}
	r.Issued = Issued{User: u, Token: tok, Label: label}
	return r, nil
}
