package cli

import (
	"github.com/truce-monitor/truce/internal/app"
)

// A filter value that names nothing is an error listing the values that
// name something, never an empty answer that reads as "none found" (the
// rule is app's: app.KnownCode).

// knownCode returns the known value equal to v but for case (codes such as
// UA, alleged, candidate), or an error naming what (e.g. "verdict") and
// listing known.
func knownCode(what, v string, known []string) (string, error) {
	return app.KnownCode(what, v, known)
}

// knownCodes is knownCode for each of vs; an unknown one is a usage error
// (exit 2), as these vocabularies are fixed: flags are checked before the
// store is opened.
func knownCodes(what string, vs, known []string) ([]string, error) {
	out := make([]string, len(vs))
	for i, v := range vs {
		k, err := knownCode(what, v, known)
		if err != nil {
			return nil, &exitError{code: 2, err: err}
		}
		out[i] = k
	}
	return out, nil
}
