package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
)

// explain is the one place an application error becomes what the command
// line says: the error, and for the kinds a user can act on, what to do.
func explain(err error) string {
	msg := err.Error()
	var (
		notFound *app.SubjectNotFoundError
		noFile   *app.NoEvidenceFileError
		disabled *app.DisabledError
	)
	switch {
	case errors.As(err, &disabled):
		return msg + " (an admin can run 'truce user enable " + disabled.User + "')"
	case errors.Is(err, app.ErrNoToken):
		return inPlace(msg, app.ErrNoToken, tokenEnv+" is not set: set it to your API token (an admin makes one with 'truce user add NAME --role ROLE' or 'truce user token NAME'; whoever can open the database can run 'truce user recover NAME')")
	case errors.Is(err, app.ErrUnknownToken):
		return inPlace(msg, app.ErrUnknownToken, tokenEnv+" is not a valid token for this database: it may be revoked, mistyped or for another database (an admin can make a new one with 'truce user token NAME')")
	case errors.Is(err, app.ErrMalformedToken):
		return inPlace(msg, app.ErrMalformedToken, tokenEnv+" does not look like a truce token ("+auth.TokenPrefix+" followed by 64 hex digits): copy it again from where you stored it")
	case errors.Is(err, app.ErrNoAgreements):
		return msg + ": import one first (truce agreement import FILE)"
	case errors.As(err, &noFile):
		return fmt.Sprintf("%s (see 'truce evidence list %s --all')", msg, noFile.Subject)
	case errors.As(err, &notFound):
		return msg + " (see 'truce review list')"
	case errors.Is(err, app.ErrPositionsNotStored):
		return msg + " (truce positions import FILE; truce positions list)"
	case errors.Is(err, app.ErrAgreementNotStored):
		return msg + " (truce agreement import FILE)"
	case errors.Is(err, app.ErrNoBatch):
		return msg + " (see truce imports)"
	}
	return msg
}

// inPlace says how instead of what went wrong where sentinel's text stands
// in msg, keeping what the use case put before it ("review: ...").
func inPlace(msg string, sentinel error, how string) string {
	return strings.Replace(msg, sentinel.Error(), how, 1)
}
