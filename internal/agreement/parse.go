package agreement

import (
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// Problem is one thing wrong with an agreement file, at a position.
type Problem = strictyaml.Problem

// Problems is every problem found in a file: the error Parse returns when a
// file is not valid.
type Problems = strictyaml.Problems

// ParseFile reads and parses an agreement file within the default limits.
// See Parse.
func ParseFile(path string) (*Agreement, error) {
	return ParseFileWith(path, strictyaml.DefaultLimits())
}

// ParseFileWith reads and parses an agreement file within lim; a file over
// the size limit is refused without being read whole.
func ParseFileWith(path string, lim strictyaml.Limits) (*Agreement, error) {
	data, err := strictyaml.ReadFile(path, lim)
	if err != nil {
		return nil, err
	}
	return ParseWith(path, data, lim)
}

// Parse parses and validates an agreement within the default limits. When
// the file is not valid the error is Problems, listing every problem found
// with its position; a file is never half accepted.
func Parse(filename string, data []byte) (*Agreement, error) {
	return ParseWith(filename, data, strictyaml.DefaultLimits())
}

// ParseWith is Parse within lim.
func ParseWith(filename string, data []byte, lim strictyaml.Limits) (*Agreement, error) {
	var a Agreement
	pos, err := strictyaml.DecodeWith(filename, data, &a, decodeOptions(lim))
	if err != nil {
		return nil, err
	}
	if problems := validate(&a, pos); len(problems) > 0 {
		strictyaml.SortProblems(problems)
		return nil, strictyaml.CapProblems(problems)
	}
	return &a, nil
}
