package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The README's command table names every command and every flag, so the
// two cannot drift: a command or flag added without its line fails here.
// Rows are grouped by their first word after "truce" (a group may span
// rows); each command's name and its flags must appear in its group.
func TestREADMECommandTable(t *testing.T) {
	body, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]string{}
	row := regexp.MustCompile("^\\| `truce ([a-z-]+)")
	for _, line := range strings.Split(string(body), "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			groups[m[1]] += line + "\n"
		}
	}
	if len(groups) == 0 {
		t.Fatal("README.md has no command table rows (| `truce ... |)")
	}
	a := &invocation{env: Env{Getenv: func(string) string { return "" }}}
	root := a.rootCommand()
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden && !strings.Contains(string(body), "--"+f.Name) {
			t.Errorf("README.md never mentions the global flag --%s", f.Name)
		}
	})
	var walk func(c *cobra.Command, group string)
	walk = func(c *cobra.Command, group string) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		text, ok := groups[group]
		if !ok {
			t.Errorf("README.md's command table has no row for truce %s", group)
			return
		}
		if c.Parent() != root && !regexp.MustCompile(`\b`+regexp.QuoteMeta(c.Name())+`\b`).MatchString(text) {
			t.Errorf("README.md's rows for truce %s do not name %q", group, c.CommandPath())
		}
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			if f.Hidden || f.Deprecated != "" || f.Name == "help" {
				return
			}
			if !regexp.MustCompile(`--` + regexp.QuoteMeta(f.Name) + `\b`).MatchString(text) {
				t.Errorf("README.md's rows for truce %s lack %s's flag --%s", group, c.CommandPath(), f.Name)
			}
		})
		for _, s := range c.Commands() {
			walk(s, group)
		}
	}
	for _, c := range root.Commands() {
		walk(c, c.Name())
	}
}
