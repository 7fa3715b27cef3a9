package cli

import (
	"errors"

	"github.com/truce-monitor/truce/internal/app"
)

// explain is the one place an application error becomes what the command
// line says: the error, and for the kinds a user can act on, what to do.
func explain(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, app.ErrNoToken):
		return tokenEnv + " is not set: set it to your API token (an admin makes one with 'truce user add NAME --role ROLE' or 'truce user token NAME'; whoever can open the database can run 'truce user recover NAME')"
	case errors.Is(err, app.ErrUnknownToken):
		return tokenEnv + " is not a valid token for this database: it may be revoked, mistyped or for another database (an admin can make a new one with 'truce user token NAME')"
	case errors.Is(err, app.ErrMalformedToken):
		return tokenEnv + ": " + msg + ": copy it again from where you stored it"
	case errors.Is(err, app.ErrNoAgreements):
		return msg + ": import one first (truce agreement import FILE)"
	case errors.Is(err, app.ErrAgreementNotStored):
		return msg + " (truce agreement import FILE)"
	case errors.Is(err, app.ErrNoBatch):
		return msg + " (see truce imports)"
	}
	return msg
}
