// Package positions reads positions files: the terms on the table in a
// negotiation, the parties, and each party's dated stance on each term
// (supports, rejects, conditional on a formula over other terms, unknown),
// each with its source and a short quote. It answers two questions for any
// date: who holds which stance (File.At), and which packages of terms every
// party accepts (CommonGround), computed exactly.
//
// A positions file sits beside the agreement files (examples/positions/);
// it is a format of its own so that the agreement format stays as it is.
// Like every YAML format of truce it is read through internal/strictyaml:
// unknown keys are refused and every problem is reported at FILE:LINE:COL.
// The package imports no store, HTTP or command-line code.
package positions

// FormatVersion is the version of the file format this package reads.
const FormatVersion = 1

// File is a positions file as written.
type File struct {
	// Format is the file-format version; must be 1.
	Format  int    `yaml:"format" json:"format"`
	ID      string `yaml:"id" json:"id"`
	Title   string `yaml:"title" json:"title"`
	Summary string `yaml:"summary,omitempty" json:"summary,omitempty"`
	// Agreements are ids of agreement files the terms relate to (for the
	// reader; not checked).
	Agreements []string   `yaml:"agreements,omitempty" json:"agreements,omitempty"`
	Parties    []Party    `yaml:"parties" json:"parties"`
	Terms      []Term     `yaml:"terms" json:"terms"`
	Sources    []Source   `yaml:"sources" json:"sources"`
	Positions  []Position `yaml:"positions" json:"positions"`

	// Filled by Parse: the file's name and the parsed conditions, by
	// index into Positions.
	name  string
	conds []*Expr
}

// Party is one side taking positions (a state, a bloc).
type Party struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
}

// Term is one term on the table: something a package may include or not.
type Term struct {
	ID          string `yaml:"id" json:"id"`
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Source is a public statement or report a position rests on.
type Source struct {
	ID        string `yaml:"id" json:"id"`
	Title     string `yaml:"title" json:"title"`
	Publisher string `yaml:"publisher,omitempty" json:"publisher,omitempty"`
	URL       string `yaml:"url,omitempty" json:"url,omitempty"`
	Date      string `yaml:"date,omitempty" json:"date,omitempty"`
}

// Position is a party's stance on a term from a date until the next
// position of the same party on the same term.
type Position struct {
	Party  string `yaml:"party" json:"party"`
	Term   string `yaml:"term" json:"term"`
	Date   string `yaml:"date" json:"date"`
	Stance Stance `yaml:"stance" json:"stance"`
	// Condition is the formula a conditional stance rests on: term ids
	// joined by AND, OR, NOT and parentheses ("arms-pause AND
	// mobilisation-halt"). Only for stance conditional.
	Condition string `yaml:"condition,omitempty" json:"condition,omitempty"`
	Source    string `yaml:"source" json:"source"`
	// Quote is a short quote of the source, in its words.
	Quote string `yaml:"quote,omitempty" json:"quote,omitempty"`
	// Note is the editor's reading of the source, in the file's words.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Stance is a party's position on a term.
type Stance string

// Stances.
const (
	Supports    Stance = "supports"
	Rejects     Stance = "rejects"
	Conditional Stance = "conditional"
	// Unknown is a stance not (yet) taken or not known; a term on which a
	// party has no position at a date is unknown too.
	Unknown Stance = "unknown"
)

func (s Stance) valid() bool {
	switch s {
	case Supports, Rejects, Conditional, Unknown:
		return true
	}
	return false
}

// Name is the file's name as given to Parse.
func (f *File) Name() string { return f.name }

// Source returns the source with id, if declared.
func (f *File) Source(id string) (Source, bool) {
	for _, s := range f.Sources {
		if s.ID == id {
			return s, true
		}
	}
	return Source{}, false
}
