package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce/internal/testdb"
)

// Sessions and the review queue in a real browser (browser_test.go's),
// by keyboard where a person could: a monitor opens the queue, is sent
// to the login form, signs in, opens a finding, corroborates it and sees
// the step in its history; takes a bulk step from the queue; then signs
// out. Screenshots of the login form, the queue, the subject page before
// and after, and the queue after the bulk step are saved.
func TestBrowserReview(t *testing.T) {
	ctx, problems := browser(t)
	base, ap := scenario(t, testdb.SQLite(t))
	admin := users(t, ap)
	subj, other := reviewable(t, ap.As(admin))
	dir := artifacts(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	shot, text := pageTools(t, ctx, dir)

	err := chromedp.Do(ctx, chromedp.Navigate(base+"/review"), chromedp.WaitVisible(chromedp.ID("login-name")))
	if err != nil {
		t.Fatalf("the queue without a session: %v", err)
	}
	shot("login.png")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("login-name"), "mo"),
		chromedp.SendKeys(chromedp.ID("login-password"), "mo's password"),
		chromedp.Focus(chromedp.ID("login-password")),
		chromedp.KeyEvent("\r"), // submits the form
		chromedp.WaitVisible(chromedp.CSS("table.queue")),
	)
	if err != nil {
		t.Fatalf("login: %v (the pages logged: %v)", err, problems())
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != base+"/review" {
		t.Errorf("after login at %s, want the queue", loc)
	}
	if who := text("header .who"); who != "Signed in as mo (monitor)" {
		t.Errorf("header: %q", who)
	}
	shot("review.png")

	link := `table.queue a[href="/review/` + subj + `"]`
	err = chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS(link)),
		chromedp.KeyEvent("\r"), // follows the link
		chromedp.WaitVisible(chromedp.ID("reason-corroborated")),
	)
	if err != nil {
		t.Fatalf("open %s: %v", subj, err)
	}
	if h := text("h1"); h != subj+": alleged" {
		t.Errorf("subject page heading %q", h)
	}
	shot("subject.png")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("reason-corroborated"), "footage geolocated by two analysts"),
		chromedp.Focus(chromedp.CSS(`form[data-to="corroborated"] button`)),
		chromedp.KeyEvent("\r"), // presses the button
		chromedp.WaitVisible(chromedp.ID("step-message")),
	)
	if err != nil {
		t.Fatalf("corroborate: %v (the pages logged: %v)", err, problems())
	}
	if m := text("#step-message"); m != "Moved to corroborated." {
		t.Errorf("message %q", m)
	}
	history := text("#history")
	for _, want := range []string{"mo", "alleged → corroborated", "footage geolocated by two analysts"} {
		if !strings.Contains(history, want) {
			t.Errorf("no %q in the history:\n%s", want, history)
		}
	}
	shot("subject-stepped.png")

	// A bulk step from the queue: tick a subject with the space bar, pick
	// the status, say why, press the button.
	box := `input[name="subject"][value="` + other + `:alleged"]`
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/review"),
		chromedp.WaitVisible(chromedp.CSS(box)),
		chromedp.Focus(chromedp.CSS(box)),
		chromedp.KeyEvent(" "),
		chromedp.SetValue(chromedp.ID("bulk-to"), "inconclusive"),
		chromedp.SendKeys(chromedp.ID("bulk-reason"), "sources disagree"),
		chromedp.Focus(chromedp.CSS(`#bulk button[type="submit"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.ID("bulk-results")),
	)
	if err != nil {
		t.Fatalf("bulk step: %v (the pages logged: %v)", err, problems())
	}
	if got, want := text("#bulk-results li"), other+": moved to inconclusive"; got != want {
		t.Errorf("bulk result %q, want %q", got, want)
	}
	shot("review-bulk.png")

	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS("form.logout button")), chromedp.WaitVisible(chromedp.ID("login-name")))
	if err != nil {
		t.Fatalf("logout: %v", err)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(p, "\n"))
	}
}
