package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/testdb"
	"github.com/truce-monitor/truce/internal/vocab"
)

// An incident confirmed by two monitors in a real browser, each signed in
// with the form: mo corroborates it and may not confirm it himself; ann
// confirms it. Then a viewer, signed in, sees the confirmed incident and
// none of the unpublished ones, on its page, in the incidents list and in
// the findings list. Screenshots of each step are saved.
func TestBrowserIncidentConfirmed(t *testing.T) {
	ctx, problems := browser(t)
	base, ap := scenario(t, testdb.SQLite(t))
	admin := ap.As(users(t, ap))
	q, err := admin.ReviewQueue(t.Context(), app.ReviewFilter{Type: vocab.KindIncident, Statuses: []vocab.Status{vocab.StatusAlleged}})
	if err != nil {
		t.Fatal(err)
	}
	var subj, hidden string
	for _, it := range q.Items {
		ref, _ := vocab.ParseSubject(it.Subject)
		p, err := admin.ReviewPage(t.Context(), ref)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case subj == "" && !p.MachineOnly && !it.Withdrawn:
			subj = it.Subject
		case hidden == "":
			hidden = it.Subject
		}
	}
	if subj == "" || hidden == "" {
		t.Fatalf("the scenario's alleged incidents: %+v", q.Items)
	}
	dir := artifacts(t)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	shot, text := pageTools(t, ctx, dir)
	signIn := func(name, next string) {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/login?next="+next),
			chromedp.WaitVisible(chromedp.ID("login-name")),
			chromedp.SendKeys(chromedp.ID("login-name"), name),
			chromedp.SendKeys(chromedp.ID("login-password"), name+"'s password"),
			chromedp.Submit(chromedp.ID("login-password")),
			chromedp.WaitVisible(chromedp.CSS("header .who")),
		)
		if err != nil {
			t.Fatalf("%s signs in: %v (the pages logged: %v)", name, err, problems())
		}
	}
	signOut := func() {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("form.logout button")), chromedp.WaitVisible(chromedp.ID("login-name"))); err != nil {
			t.Fatalf("sign out: %v", err)
		}
	}
	step := func(to, reason string, acceptRelease bool) string {
		t.Helper()
		actions := []chromedp.Action[chromedp.Void]{
			// A fresh page, holding no message of a step before.
			chromedp.Navigate(base + "/review/" + subj),
			chromedp.WaitVisible(chromedp.ID("reason-" + to)),
			chromedp.SendKeys(chromedp.ID("reason-"+to), reason),
		}
		if acceptRelease {
			actions = append(actions, chromedp.Click(chromedp.CSS(`form[data-to="`+to+`"] input[name="accept_release"]`)))
		}
		err := chromedp.Do(ctx, append(actions,
			chromedp.Click(chromedp.CSS(`form[data-to="`+to+`"] button`)),
			chromedp.WaitVisible(chromedp.ID("step-message")),
		)...)
		if err != nil {
			t.Fatalf("%s to %s: %v (the pages logged: %v)", subj, to, err, problems())
		}
		return text("#step-message")
	}

	signIn("mo", "/review/"+subj)
	if m := step("corroborated", "two independent reports, same hour and town", false); m != "Moved to corroborated." {
		t.Fatalf("mo corroborates: %q", m)
	}
	shot("incident-corroborated.png")
	if m := step("confirmed", "I saw the footage", true); !strings.Contains(m, "second reviewer") {
		t.Errorf("mo confirming what he corroborated: %q, want a refusal naming the second-reviewer rule", m)
	}
	shot("incident-confirm-refused.png")
	signOut()

	signIn("ann", "/review/"+subj)
	if m := step("confirmed", "checked the two reports and the operator's statement", true); m != "Moved to confirmed." {
		t.Fatalf("ann confirms: %q", m)
	}
	history := text("#history")
	for _, want := range []string{"mo", "alleged → corroborated", "ann", "corroborated → confirmed"} {
		if !strings.Contains(history, want) {
			t.Errorf("no %q in the history:\n%s", want, history)
		}
	}
	shot("incident-confirmed.png")
	signOut()

	// The viewer: the confirmed incident is published, the others are not.
	signIn("vera", "/incidents")
	id := strings.TrimPrefix(subj, "incident/")
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main a")].map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatal(err)
	}
	if !containsString(links, "/incidents/"+id) {
		t.Errorf("the viewer's incidents list lacks the confirmed %s: %v", subj, links)
	}
	if containsString(links, "/incidents/"+strings.TrimPrefix(hidden, "incident/")) {
		t.Errorf("the viewer's incidents list links the unpublished %s", hidden)
	}
	shot("incidents-viewer.png")
	// Its page and its review page are not found; the review queue is empty.
	for _, path := range []string{"/incidents/" + strings.TrimPrefix(hidden, "incident/"), "/review/" + hidden} {
		var status int64
		err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady("body"))
		if err == nil {
			status, err = chromedp.Run(ctx, chromedp.Evaluate[int64](`performance.getEntriesByType("navigation")[0].responseStatus`))
		}
		if err != nil || status != http.StatusNotFound {
			t.Errorf("the viewer opens %s: %d %v, want 404", path, status, err)
		}
	}
	findings, err := admin.FindingsPage(t.Context(), app.FindingQuery{}, "", app.MaxPage)
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/findings"), chromedp.WaitVisible(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	links, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main a")].map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings.Findings {
		if f.Stored.Status == vocab.StatusAlleged && containsString(links, fmt.Sprintf("/findings/%d", f.Stored.ID)) {
			t.Errorf("the viewer's findings list links the unpublished finding/%d", f.Stored.ID)
		}
	}
	shot("findings-viewer.png")
	// The refused step (403) and the pages the viewer may not see (404)
	// are logged by the browser as failed loads: those are expected.
	var unexpected []string
	for _, p := range problems() {
		if !strings.Contains(p, "the server responded with a status of 403") && !strings.Contains(p, "the server responded with a status of 404") {
			unexpected = append(unexpected, p)
		}
	}
	if len(unexpected) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(unexpected, "\n"))
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
