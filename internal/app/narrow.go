package app

import (
	"regexp"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/taxonomy"
)

// The filters on what a record is (its time, source, kind, target
// category, country, admin-1, text) narrow a records list, a findings list
// (the finding's record) and an incidents list alike; they are checked
// here, once, for all three and for every adapter.

// ParseTime reads a filter's time: a date (2025-03-18, midnight UTC) or an
// RFC 3339 time; "" is no bound. what names the filter in the error
// ("query parameter from", "--from").
func ParseTime(what, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, errorf(KindInvalid, "%s=%q: want a date (2025-03-18) or an RFC 3339 time", what, v)
	}
	return t, nil
}

// narrowing is what a record must be, as a query gives it.
type narrowing struct {
	from, to                                time.Time
	kind, category, country, admin1, source string
}

var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	admin1Code  = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)
)

// check refuses a filter that names nothing (an empty time range, a kind
// or category not of the taxonomy, a country or admin-1 that is no ISO
// code) and sets the values as stored: kinds and categories as the
// taxonomy spells them, codes in capitals (they match in any case).
func (n *narrowing) check() error {
	if !n.from.IsZero() && !n.to.IsZero() && !n.from.Before(n.to) {
		return errorf(KindInvalid, "from %s is not before to %s", n.from.Format(time.RFC3339), n.to.Format(time.RFC3339))
	}
	var err error
	if n.kind != "" {
		if n.kind, err = KnownCode("kind", n.kind, taxonomy.Kinds.IDs()); err != nil {
			return err
		}
	}
	if n.category != "" {
		if n.category, err = KnownCode("target category", n.category, taxonomy.Targets.IDs()); err != nil {
			return err
		}
	}
	if n.country = strings.ToUpper(n.country); n.country != "" && !countryCode.MatchString(n.country) {
		return errorf(KindInvalid, "country %q is not an ISO 3166-1 code (UA, RU)", n.country)
	}
	if n.admin1 = strings.ToUpper(n.admin1); n.admin1 != "" && !admin1Code.MatchString(n.admin1) {
		return errorf(KindInvalid, "admin-1 %q is not an ISO 3166-2 code (UA-14, RU-BEL)", n.admin1)
	}
	return nil
}

// hasText reports whether text holds words, in any case in every script
// ("" holds nothing to look for: true).
func hasText(text, words string) bool {
	return words == "" || strings.Contains(strings.ToLower(text), strings.ToLower(words))
}
