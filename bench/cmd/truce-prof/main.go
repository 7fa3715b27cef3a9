// Command truce-prof runs truce's command line (the same code as cmd/truce)
// under the Go profiler, to see where a benchmark's time goes:
//
//	go build -o bench/out/truce-prof ./bench/cmd/truce-prof
//	bench/out/truce-prof -cpuprofile bench/out/ingest.prof -- \
//	    --db bench/out/prof.db ingest --format acled --progress never bench/data/acled-100000.csv
//	go tool pprof -top bench/out/truce-prof bench/out/ingest.prof
//
// Everything after -- is passed to truce unchanged.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"github.com/truce-monitor/truce/internal/cli"
)

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
	mem := flag.String("memprofile", "", "write a heap profile (in use at the end) to `FILE`")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: truce-prof [-cpuprofile FILE] [-memprofile FILE] -- TRUCE-ARGS...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fatal(err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, flag.Args(), cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
	})
	stop()
	if *cpu != "" {
		pprof.StopCPUProfile()
	}
	if *mem != "" {
		f, err := os.Create(*mem)
		if err != nil {
			fatal(err)
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			fatal(err)
		}
		f.Close()
	}
	os.Exit(code)
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "truce-prof: %v\n", err)
	os.Exit(1)
}
