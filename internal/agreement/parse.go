package agreement

import (
	"os"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

// Problem is one thing wrong with an agreement file, at a position.
type Problem = strictyaml.Problem

// Problems is every problem found in a file: the error Parse returns when a
// file is not valid.
type Problems = strictyaml.Problems

// ParseFile reads and parses an agreement file. See Parse.
func ParseFile(path string) (*Agreement, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses and validates an agreement. When the file is not valid the
// error is Problems, listing every problem found with its position; a file
// is never half accepted.
func Parse(filename string, data []byte) (*Agreement, error) {
	var a Agreement
	pos, err := strictyaml.Decode(filename, data, &a)
	if err != nil {
		return nil, err
	}
	if problems := validate(&a, pos); len(problems) > 0 {
		strictyaml.SortProblems(problems)
		return nil, problems
	}
	return &a, nil
}
