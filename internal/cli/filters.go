package cli

import (
	"strings"

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
