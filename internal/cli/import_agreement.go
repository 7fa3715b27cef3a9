package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
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
		RunE: func(c *cobra.Command, files []string) error {
			type parsed struct {
				file string
				src  []byte
				ag   *agreement.Agreement
			}
			var all []parsed
			for _, f := range files {
				src, err := strictyaml.ReadFile(f, yamlLimits(c))
				var ag *agreement.Agreement
				if err == nil {
					ag, err = agreement.ParseWith(f, src, yamlLimits(c))
				}
				if err != nil {
					reportParseError(c.ErrOrStderr(), f, err)
					return errProblemsFound
				}
				all = append(all, parsed{f, src, ag})
			}
			s, err := a.openStore(c.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			by, err := a.actorFor(c.Context(), s, auth.Import)
			if err != nil {
				return fmt.Errorf("agreement import: %w", err)
			}
			for _, p := range all {
				created, err := putAgreement(c.Context(), s, p.src, p.ag, by)
				if err != nil {
					return fmt.Errorf("%s: %w", p.file, err)
				}
				reportStored(c.OutOrStdout(), p.ag, created)
			}
			return nil
		},
	}
}

func reportStored(w io.Writer, ag *agreement.Agreement, created bool) {
	verb := "stored"
	if !created {
		verb = "unchanged"
	}
	fmt.Fprintf(w, "%s %s version %d\n", verb, ag.ID, ag.Version)
}

// putAgreement stores one parsed agreement with its source text and
// normalised form, and audits the import.
func putAgreement(ctx context.Context, s store.Store, src []byte, ag *agreement.Agreement, by string) (bool, error) {
	n, err := ag.Normalize("")
	if err != nil {
		return false, err
	}
	normalized, err := json.Marshal(n)
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(src)
	v := store.AgreementVersion{
		AgreementID: ag.ID, Version: ag.Version, Title: ag.Title,
		Hash: hex.EncodeToString(sum[:]), Source: src, Normalized: normalized, StoredBy: by,
	}
	return s.PutAgreementVersion(ctx, v)
}
