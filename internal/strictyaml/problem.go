package strictyaml

import (
	"errors"
	"fmt"
	"strings"
)

// Problem is one thing wrong with an agreement file, at a position.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Path    string `json:"path,omitempty"` // e.g. commitments[1].bound[0]
	Message string `json:"message"`
}

// String formats the problem the way compilers do: FILE:LINE:COL: message.
// Control characters from the file are escaped: messages quote its values.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", escape(p.File), p.Line, p.Column, escape(p.Message))
}

// Problems is every problem found in a file. It is the error Parse returns
// when a file is not valid.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// HasProblem reports whether err holds a problem whose text starts with
// prefix (a position, "t.yaml:5:42") and contains msg: how tests and tools
// ask "was this refused where and why I expect".
func HasProblem(err error, prefix, msg string) bool {
	var ps Problems
	if !errors.As(err, &ps) {
		return false
	}
	for _, p := range ps {
		if s := p.String(); strings.HasPrefix(s, prefix) && strings.Contains(s, msg) {
			return true
		}
	}
	return false
}
