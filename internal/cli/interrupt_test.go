package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/testbin"
)

// A FIFO no one writes to blocks in open: evidence add checks the token
// before it opens the file, and Ctrl-C or SIGTERM ends the wait.
func TestEvidenceFileFIFOInterrupted(t *testing.T) {
	r := newReviewTeam(t)
	f1 := r.subject(0)
	fifo := filepath.Join(t.TempDir(), "upload")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	runCtx := func(ctx context.Context, token string, args ...string) (int, string) {
		var out, errb bytes.Buffer
		env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
			return map[string]string{"TRUCE_DB": r.db, "TRUCE_TOKEN": token}[k]
		}}
		return Run(ctx, args, env), errb.String()
	}
	within := func(d time.Duration, fn func()) bool {
		done := make(chan struct{})
		go func() { fn(); close(done) }()
		select {
		case <-done:
			return true
		case <-time.After(d):
			return false
		}
	}

	// Without a token (and with a viewer's) it fails at once: the FIFO is
	// never opened.
	for _, token := range []string{"", r.dave} {
		var code int
		var errOut string
		if !within(10*time.Second, func() { code, errOut = runCtx(t.Context(), token, "evidence", "add", f1, "--file", fifo) }) {
			t.Fatal("evidence add opened the FIFO before checking the token")
		}
		if code != 1 || !strings.Contains(errOut, "TRUCE_TOKEN") && !strings.Contains(errOut, "may not add evidence") {
			t.Errorf("token %q: exit %d: %s", token, code, errOut)
		}
	}

	// In-process: the root context ends the wait.
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	var code int
	var errOut string
	if !within(10*time.Second, func() { code, errOut = runCtx(ctx, r.carol, "evidence", "add", f1, "--file", fifo) }) {
		t.Fatal("evidence add --file FIFO did not end when its context did")
	}
	if code != 1 || !strings.Contains(errOut, "--file "+fifo+": interrupted") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	// Let the abandoned open return.
	if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close()
	}

	// The real binary, as a user stops it: SIGTERM, and Ctrl-C's SIGINT.
	bin := testbin.Build(t)
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		cmd := exec.Command(bin, "evidence", "add", f1, "--file", fifo)
		cmd.Env = append(os.Environ(), "TRUCE_DB="+r.db, "TRUCE_TOKEN="+r.carol)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond) // it reaches the open
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		if !within(10*time.Second, func() { _ = cmd.Wait() }) {
			cmd.Process.Kill()
			t.Fatalf("%v did not end evidence add --file FIFO", sig)
		}
		if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("%v: exit %d: %s", sig, cmd.ProcessState.ExitCode(), stderr.String())
		}
	}
	if out := r.as(r.carol).want(0, nil, "evidence", "list", f1); strings.Contains(out, "#") {
		t.Errorf("an interrupted upload stored evidence:\n%s", out)
	}
}
