package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

// yamlLimitFlag is --yaml-limit NAME=N, repeatable: the limits every YAML
// file truce reads (agreements, mappings, agreement tests) must keep.
type yamlLimitFlag struct{ lim strictyaml.Limits }

func (f *yamlLimitFlag) String() string { return "" }
func (f *yamlLimitFlag) Type() string   { return "NAME=N" }
func (f *yamlLimitFlag) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		if err := f.lim.Set(part); err != nil {
			return err
		}
	}
	return nil
}

const yamlLimitName = "yaml-limit"

func addYAMLLimitFlag(root *cobra.Command) {
	f := &yamlLimitFlag{lim: strictyaml.DefaultLimits()}
	root.PersistentFlags().Var(f, yamlLimitName,
		"raise or lower a limit on the YAML files read (agreements, mappings, tests), e.g. bytes=4MiB,aliases=0;\n"+
			"repeatable. Limits and defaults:\n"+strictyaml.LimitsHelp())
}

// yamlLimits are the limits set for this invocation (the defaults unless
// --yaml-limit changed them).
func yamlLimits(c *cobra.Command) strictyaml.Limits {
	if fl := c.Flag(yamlLimitName); fl != nil {
		if f, ok := fl.Value.(*yamlLimitFlag); ok {
			return f.lim
		}
	}
	return strictyaml.DefaultLimits()
}
