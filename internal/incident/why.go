package incident

import (
	"encoding/json"
	"fmt"
	"time"
)

// Why is a member's stored reason (a MemberReason) in one line, as the
// command line and the dashboard show it: what a denial answers, who
// joined it by hand, or the link that brought it in.
func Why(raw json.RawMessage) string {
	var r MemberReason
	if err := json.Unmarshal(raw, &r); err != nil {
		return string(raw)
	}
	switch {
	case r.Answers != "":
		return "answers (denies) " + r.Answers
	case r.Join != nil:
		return fmt.Sprintf("joined to %s by %s on %s: %s", r.LinkedTo, r.Join.By, r.Join.At.Format(time.DateOnly), r.Join.Reason)
	case r.Link != nil:
		return fmt.Sprintf("linked to %s (score %.2f): %s; %s; %s; %s", r.LinkedTo, r.Link.Score, r.Link.Time, r.Link.Place, r.Link.Kind, r.Link.Target)
	}
	if r.Note == "" {
		return "-"
	}
	return r.Note
}
