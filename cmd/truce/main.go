// Command truce is a ceasefire and peace-agreement compliance monitor.
// Everything it does lives in internal/; see `truce --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/truce-monitor/truce/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		Program: cli.ProgramName(os.Args[0]),
	})
	stop()
	os.Exit(code)
}
