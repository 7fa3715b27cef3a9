package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/testdb"
)

type stepsAnswer struct {
	Results []struct {
		Subject    string
		Transition *struct{ From, To, By string }
		Error      *struct{ Kind, Message string }
	}
	Taken, Refused int
}

// One step on many subjects, as 'truce review set': each its own, one
// refused (not stored, moved meanwhile) does not stop the others; a
// selection takes those now at from; a request wrong as a whole is 400, a
// selection that matches nothing 404; the audit log stays whole.
func TestTransitionsOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		var page findingPage
		c.do("GET", "/api/v1/findings?verdict=candidate&limit=2", nil, 200, &page)
		if len(page.Findings) != 2 {
			t.Fatalf("the scenario's candidates: %+v", page)
		}
		f1 := "finding/" + strconv.FormatInt(page.Findings[0].Stored.ID, 10)
		f2 := "finding/" + strconv.FormatInt(page.Findings[1].Stored.ID, 10)
		step := func(subjects ...string) map[string]any {
			return map[string]any{"subjects": subjects, "to": "corroborated", "from": "alleged", "reason": "two sources"}
		}
		var got stepsAnswer
		c.do("POST", "/api/v1/review/transitions", step(f1, "finding/99999", f2), 200, &got)
		if got.Taken != 2 || got.Refused != 1 || len(got.Results) != 3 {
			t.Fatalf("three subjects: %+v", got)
		}
		if r := got.Results[0]; r.Subject != f1 || r.Transition == nil || r.Transition.From != "alleged" || r.Transition.To != "corroborated" || r.Transition.By != "local" || r.Error != nil {
			t.Errorf("%s: %+v", f1, r)
		}
		if r := got.Results[1]; r.Transition != nil || r.Error == nil || r.Error.Kind != "not found" || !strings.Contains(r.Error.Message, "finding/99999") {
			t.Errorf("a finding not stored: %+v", r)
		}
		// Moved meanwhile: from no longer holds, each step a conflict.
		c.do("POST", "/api/v1/review/transitions", step(f1, f2), 200, &got)
		if got.Taken != 0 || got.Refused != 2 || got.Results[0].Error == nil || got.Results[0].Error.Kind != "conflict" {
			t.Errorf("stale steps: %+v", got)
		}

		// A selection: every finding of the agreement still alleged.
		sel := map[string]any{"select": map[string]any{"agreement": "energy-moratorium-2025", "type": "finding"},
			"to": "inconclusive", "from": "alleged", "reason": "no second source"}
		c.do("POST", "/api/v1/review/transitions", sel, 200, &got)
		if got.Taken == 0 || got.Refused != 0 {
			t.Errorf("selected steps: %+v", got)
		}
		for _, r := range got.Results {
			if r.Subject == f1 || r.Subject == f2 {
				t.Errorf("the selection took %s, not alleged any more", r.Subject)
			}
		}
		var e apiError
		c.do("POST", "/api/v1/review/transitions", sel, 404, &e)
		if !strings.Contains(e.Error.Message, "no subject at alleged matches the filter") {
			t.Errorf("nothing left to select: %+v", e)
		}

		for name, bad := range map[string]struct {
			body any
			msg  string
		}{
			"not a subject":  {step("event/1"), `subjects[0]: "event/1" is not a review subject`},
			"nothing named":  {map[string]any{"to": "corroborated", "from": "alleged", "reason": "r"}, "name the subjects"},
			"both":           {map[string]any{"subjects": []string{f1}, "select": map[string]any{"needs_review": true}, "to": "refuted", "from": "corroborated", "reason": "r"}, "not both"},
			"no from":        {map[string]any{"subjects": []string{f1}, "to": "refuted", "reason": "r"}, "say what you decided on"},
			"unknown status": {map[string]any{"subjects": []string{f1}, "to": "guilty", "from": "corroborated", "reason": "r"}, `unknown status "guilty"`},
			"unknown type":   {map[string]any{"select": map[string]any{"type": "event"}, "to": "refuted", "from": "alleged", "reason": "r"}, `unknown type "event"`},
			"unknown field":  {map[string]any{"subjects": []string{f1}, "too": "refuted"}, `unknown field "too"`},
		} {
			c.do("POST", "/api/v1/review/transitions", bad.body, 400, &e)
			if !strings.Contains(e.Error.Message, bad.msg) {
				t.Errorf("%s: %q lacks %q", name, e.Error.Message, bad.msg)
			}
		}

		var rep struct {
			Checked int64
			Problem *struct{}
		}
		c.do("GET", "/api/v1/audit/verify?state=true", nil, 200, &rep)
		if rep.Problem != nil || rep.Checked == 0 {
			t.Errorf("audit after the steps: %+v", rep)
		}
	})
}

// Who may take steps on many subjects: as for one, the review permission.
func TestTransitionsNeedReview(t *testing.T) {
	c := scenario(t, testdb.SQLite(t))
	var added struct{ Token struct{ Token string } }
	c.do("POST", "/api/v1/users", map[string]string{"name": "ada", "role": "admin"}, 201, &added)
	ada := c.as(added.Token.Token)
	ada.do("POST", "/api/v1/users", map[string]string{"name": "an", "role": "analyst"}, 201, &added)
	analyst := c.as(added.Token.Token)
	body := map[string]any{"subjects": []string{"finding/1"}, "to": "corroborated", "from": "alleged", "reason": "r"}
	c.do("POST", "/api/v1/review/transitions", body, 401, nil)
	analyst.do("POST", "/api/v1/review/transitions", body, 403, nil)
	var got stepsAnswer
	ada.do("POST", "/api/v1/review/transitions", body, 200, &got)
	if got.Taken != 1 || got.Results[0].Transition.By != "ada" {
		t.Errorf("the admin's step: %+v", got)
	}
}
