package cli

import (
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/vocab"
)

// A filter value that names nothing is an error listing the values that
// name something, never an empty answer that reads as "none found" (the
// rule is app's: app.KnownCode).

// knownCode returns the known value equal to v but for case (codes such as
// UA, alleged, candidate), or an error naming what (e.g. "verdict") and
// listing known.
func knownCode[T ~string](what, v string, known []T) (T, error) {
	return app.KnownCode(what, v, known)
}

// knownCodes is knownCode for each of vs; an unknown one is a usage error
// (exit 2), as these vocabularies are fixed: flags are checked before the
// store is opened.
func knownCodes[T ~string](what string, vs []string, known []T) ([]T, error) {
	out, err := app.KnownCodes(what, vs, known)
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	return out, nil
}

// words joins a vocabulary for help texts.
func words[T ~string](ws []T) string { return strings.Join(vocab.Names(ws), ", ") }

// recordFlags narrow a list by what its records are, as the API's query
// parameters of the same names do (app checks them: an unknown kind or
// category, a country or admin-1 that is no ISO code, is an error).
type recordFlags struct {
	from, to, source, kind, category, country, admin1, text string
}

// add defines the flags on f for a list of what ("findings of records",
// "incidents"); all adds those an incidents list has no use for.
func (r *recordFlags) add(f *pflag.FlagSet, what string, all bool) {
	f.StringVar(&r.from, "from", "", "only "+what+" starting at or after `T`: a date (2025-03-18, UTC) or an RFC 3339 time")
	f.StringVar(&r.to, "to", "", "only "+what+" starting before `T`")
	f.StringVar(&r.country, "country", "", "only "+what+" in country `CC` (ISO 3166-1)")
	f.StringVar(&r.admin1, "admin1", "", "only "+what+" in admin-1 `CODE` (ISO 3166-2: UA-14)")
	if !all {
		return
	}
	f.StringVar(&r.source, "source", "", "only "+what+" from source `S`, as stored")
	f.StringVar(&r.kind, "kind", "", "only "+what+" of kind `K` or a narrower one (strike: strike.drone)")
	f.StringVar(&r.category, "category", "", "only "+what+" with a target of category `C` or a narrower one (energy)")
	f.StringVar(&r.text, "text", "", "only "+what+" whose text holds `WORDS`, in any case")
}

// times reads --from and --to; a bad one is a usage error (exit 2).
func (r *recordFlags) times() (from, to time.Time, err error) {
	if from, err = app.ParseTime("--from", r.from); err == nil {
		to, err = app.ParseTime("--to", r.to)
	}
	if err != nil {
		return time.Time{}, time.Time{}, &exitError{code: 2, err: err}
	}
	return from, to, nil
}
