package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// Every command that prints data takes --output FORMAT (-o FORMAT): table
// or text for people, json for programs (the application's views), csv or
// geojson where a command has them. A command that writes a file takes
// --out FILE. outputFlag is the one place a format is checked.

// The output formats.
const (
	outTable    = "table"
	outText     = "text"
	outJSON     = "json"
	outCSV      = "csv"
	outGeoJSON  = "geojson"
	outMarkdown = "md"
	outHTML     = "html"
)

// outputFlag adds --output FORMAT (-o FORMAT) to c, setting *p, which
// starts as formats[0]. A format not in formats fails while the flags are
// parsed, as a usage error (exit 2) that lists them. Each alias is an old
// boolean flag kept working, hidden and deprecated: alias "json" adds
// --json, which means --output json.
func outputFlag(c *cobra.Command, p *string, formats []string, aliases ...string) {
	*p = formats[0]
	v := &outputValue{p: p, formats: formats}
	c.Flags().VarP(v, "output", "o", "print as `FORMAT`: "+orList(formats))
	for _, format := range aliases {
		if !slices.Contains(formats, format) {
			panic("output alias --" + format + " names no format of " + c.CommandPath())
		}
		f := c.Flags().VarPF(outputAlias{v: v, format: format}, format, "", "the same as --output "+format)
		f.NoOptDefVal = "true"
		if err := c.Flags().MarkDeprecated(format, "use --output "+format); err != nil {
			panic(err)
		}
	}
}

// outputValue is --output's value.
type outputValue struct {
	p       *string
	formats []string
	by      string // the flag that chose the format, if one did
}

func (v *outputValue) String() string { return *v.p }
func (v *outputValue) Type() string   { return "string" }
func (v *outputValue) Set(s string) error {
	return v.set("--output", strings.ToLower(s))
}

func (v *outputValue) set(flag, format string) error {
	if !slices.Contains(v.formats, format) {
		return fmt.Errorf("unknown output %q: use %s", format, orList(v.formats))
	}
	if v.by != "" && v.by != flag && *v.p != format {
		return fmt.Errorf("%s and %s ask for different outputs: give --output once", v.by, flag)
	}
	*v.p, v.by = format, flag
	return nil
}

// outputAlias is a deprecated boolean flag that selects one format.
type outputAlias struct {
	v      *outputValue
	format string
}

func (a outputAlias) String() string { return "false" }
func (a outputAlias) Type() string   { return "bool" }
func (a outputAlias) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil || !on {
		return err
	}
	return a.v.set("--"+a.format, a.format)
}

// orList is "a", "a or b", "a, b or c".
func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// noticesTo sends the notices pflag prints while parsing (a deprecated flag
// was used) to w, for every command under c. Cobra would print them with
// the command's output: standard output, mixed into the data.
func noticesTo(c *cobra.Command, w io.Writer) {
	c.Flags().SetOutput(w)
	for _, s := range c.Commands() {
		noticesTo(s, w)
	}
}

// writeJSONLines writes items as JSON Lines, one a line: every list's
// --output json.
func writeJSONLines[T any](w io.Writer, items []T) error {
	enc := json.NewEncoder(w)
	for i := range items {
		if err := enc.Encode(&items[i]); err != nil {
			return err
		}
	}
	return nil
}
