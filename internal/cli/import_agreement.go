package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

func (a *invocation) importCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "Store agreement versions in the database",
		Long: `Validate agreement files and store each as a version in the database named
by --db. Importing the same file again changes nothing; a changed file under
an already stored version number is refused: versions are immutable, so
raise 'version' and add a 'history' entry instead.`,
		Example: `  truce agreement import examples/agreements/*.yaml`,
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, names []string) error {
			var files []app.AgreementFile
			for _, name := range names {
				src, err := strictyaml.ReadFile(name, yamlLimits(c))
				var f app.AgreementFile
				if err == nil {
					f, err = app.ParseAgreement(name, src, yamlLimits(c))
				}
				if err != nil {
					reportParseError(c.ErrOrStderr(), name, err)
					return errProblemsFound
				}
				files = append(files, f)
			}
			ap, err := a.openApp(c.Context(), true)
			if err != nil {
				return err
			}
			defer ap.Close()
			done, err := ap.ImportAgreements(c.Context(), files)
			for _, d := range done {
				reportStored(c.OutOrStdout(), d)
			}
			return err
		},
	}
}

func reportStored(w io.Writer, d app.ImportedAgreement) {
	verb := "stored"
	if !d.Created {
		verb = "unchanged"
	}
	fmt.Fprintf(w, "%s %s version %d\n", verb, d.ID, d.Version)
}
