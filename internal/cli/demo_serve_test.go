package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer the command and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// truce demo --serve ends by serving the dashboard on the scenario, says
// where, and stops when interrupted; without a terminal it ends at once.
func TestDemoServesTheDashboard(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	var out, errb lockedBuffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- Run(ctx, []string{"--db", db, "demo", "--serve", "--addr", "127.0.0.1:0"}, env) }()
	url := regexp.MustCompile(`The dashboard: (http://127\.0\.0\.1:\d+/)`)
	var base string
	for deadline := time.Now().Add(2 * time.Minute); base == ""; time.Sleep(50 * time.Millisecond) {
		if m := url.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("demo ended (%d) without serving:\n%s\n%s", code, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no dashboard URL:\n%s", out.String())
		}
	}
	resp, err := http.Get(base)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "energy-moratorium-2025") {
		t.Errorf("GET %s: %d %.300s", base, resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("demo interrupted: exit %d: %s", code, errb.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("demo did not stop when interrupted")
	}
	// Not a terminal, no flag: the pipeline only.
	s := newSession(t)
	if got := s.want(0, nil, "demo"); strings.Contains(got, "The dashboard:") {
		t.Error("demo served with standard output not a terminal")
	}
	s.want(2, []string{"--serve"}, "demo", "--serve=maybe")
}
