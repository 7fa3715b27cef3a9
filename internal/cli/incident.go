package cli

import "github.com/spf13/cobra"

// TODO(scaffold): `truce incident build|list|show|join|split`.
func (a *app) incidentCommand() *cobra.Command { return &cobra.Command{Use: "incident", Hidden: true} }
