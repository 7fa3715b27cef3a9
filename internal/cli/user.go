package cli

import "github.com/spf13/cobra"

// TODO(scaffold): `truce user add|list|disable`.
func (a *app) userCommand() *cobra.Command { return &cobra.Command{Use: "user", Hidden: true} }

// TODO(scaffold): `truce audit verify`.
func (a *app) auditCommand() *cobra.Command { return &cobra.Command{Use: "audit", Hidden: true} }
