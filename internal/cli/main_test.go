package cli

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// rssFileEnv names the file where the test binary, run as a measuring
// wrapper, writes the peak RSS of the command it ran (see measureRSS).
const rssFileEnv = "TRUCE_TEST_RSS_FILE"

func TestMain(m *testing.M) {
	if f := os.Getenv(rssFileEnv); f != "" {
		os.Exit(runMeasured(f, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// runMeasured runs args and writes its peak RSS in KB to file.
func runMeasured(file string, args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = withoutEnv(os.Environ(), rssFileEnv)
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		return 125
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	if err := os.WriteFile(file, []byte(strconv.FormatInt(rss, 10)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		return 125
	}
	return cmd.ProcessState.ExitCode()
}

func withoutEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// measureRSS makes cmd run through this test binary as a wrapper and
// returns a function giving the command's own peak RSS in bytes once it
// has run. A child started straight from the test process reports the
// test process's peak as its own (Linux folds the parent's memory, shared
// until exec, into the child's maximum), and a test process running the
// whole suite under the race detector is hundreds of MB; the wrapper is a
// fresh small process, so what the command reports is its own.
func measureRSS(t *testing.T, cmd *exec.Cmd) func() int64 {
	t.Helper()
	file := t.TempDir() + "/rss"
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Args = append([]string{self, cmd.Path}, cmd.Args[1:]...)
	cmd.Path = self
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, rssFileEnv+"="+file)
	return func() int64 {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("peak RSS of %v: %v", cmd.Args[1:], err)
		}
		kb, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return kb << 10
	}
}
