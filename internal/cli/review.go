package cli

import "github.com/spf13/cobra"

// TODO(scaffold): `truce review list|show|set`.
func (a *app) reviewCommand() *cobra.Command { return &cobra.Command{Use: "review", Hidden: true} }

// TODO(scaffold): `truce evidence add`.
func (a *app) evidenceCommand() *cobra.Command { return &cobra.Command{Use: "evidence", Hidden: true} }
