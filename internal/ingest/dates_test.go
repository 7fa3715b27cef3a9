package ingest

import (
	"strings"
	"testing"
	"time"
)

func TestDateLayouts(t *testing.T) {
	dmy := &DateColumn{Name: "d", order: DayFirst}
	mdy := &DateColumn{Name: "d", order: MonthFirst}
	var undecided *DateColumn // a fresh column for each value
	for _, tc := range []struct {
		in   string
		col  *DateColumn
		want string // "" for a bad value
	}{
		{"2025-05-16", undecided, "2025-05-16 00:00:00"},
		{"2025-05-16 14:30", undecided, "2025-05-16 14:30:00"},
		{"2025-05-16 14:30:05", undecided, "2025-05-16 14:30:05"},
		{"2025-05-16T14:30:05", undecided, "2025-05-16 14:30:05"},
		{"2014-06-10 00:00:00.000", undecided, "2014-06-10 00:00:00"},
		{"16 May 2025", undecided, "2025-05-16 00:00:00"},
		{"6 jan 2025", undecided, "2025-01-06 00:00:00"},
		{"9-May-20", undecided, "2020-05-09 00:00:00"},
		{"9-May-69", undecided, "1969-05-09 00:00:00"},
		{"28-December-2022", undecided, "2022-12-28 00:00:00"},
		{"14/08/2020", undecided, "2020-08-14 00:00:00"},
		{"14/08/2020 00:00:00", undecided, "2020-08-14 00:00:00"},
		{"8/14/2020 2:30 PM", undecided, "2020-08-14 14:30:00"},
		{"8/14/2020 12:05 am", undecided, "2020-08-14 00:05:00"},
		{"8/14/2020 12:05:09 PM", undecided, "2020-08-14 12:05:09"},
		{"03/04/2020", dmy, "2020-04-03 00:00:00"},
		{"03/04/2020", mdy, "2020-03-04 00:00:00"},
		{"03/04/20 13:00", mdy, "2020-03-04 13:00:00"},
		{"03/04/2020", undecided, ""},  // cannot tell
		{"8/14/2020", dmy, ""},         // month 14 under DD/MM
		{"2025-02-29", undecided, ""},  // no such day
		{"31 Feb 2025", undecided, ""}, // no such day
		{"13:00 8/14/2020", undecided, ""},
		{"8/14/2020 13:00 PM", undecided, ""},
		{"14/14/2020", undecided, ""},
		{"yesterday", undecided, ""},
		{"2025-05-16 25:00", undecided, ""},
		{"", undecided, ""},
	} {
		col := tc.col
		if col == nil {
			col = &DateColumn{Name: "d"}
		}
		dt, reason := col.Parse(tc.in)
		got := ""
		if reason == "" {
			got = dt.In(time.UTC).Format(time.DateTime)
		}
		if got != tc.want {
			t.Errorf("%q (%v): got %q (%s), want %q", tc.in, col.order, got, reason, tc.want)
		}
	}
}

// A column with no slashed date in the look-ahead is decided by its first
// value that can tell; values before it that could not are bad rows.
func TestDateOrderDecidedLate(t *testing.T) {
	c := &DateColumn{Name: "event_date", seen: map[string]bool{"YYYY-MM-DD": true}}
	for _, tc := range []struct{ in, want string }{
		{"03/04/2020", ""},
		{"14/08/2020", "2020-08-14"},
		{"03/04/2020", "2020-04-03"},
		{"8/14/2020", ""},
		{"2020-01-02", "2020-01-02"},
	} {
		dt, reason := c.Parse(tc.in)
		got := ""
		if reason == "" {
			got = dt.In(time.UTC).Format(time.DateOnly)
		}
		if got != tc.want {
			t.Errorf("%s: got %q (%s), want %q", tc.in, got, reason, tc.want)
		}
	}
	if n := c.Note(); n != "column event_date: dates read as YYYY-MM-DD and DD/MM/YYYY (decided by 14/08/2020, after the first 2 MB)" {
		t.Errorf("note %q", n)
	}
}

func TestDecideDates(t *testing.T) {
	header := []string{"id", "Event_Date", "other"}
	for _, tc := range []struct {
		name, body string
		given      Order
		want       Order
		err, note  string
	}{
		{"first over 12 is a day", "1,03/04/2020,x\n2,14/08/2020,x\n", Undecided, DayFirst, "", "DD/MM/YYYY (decided by 14/08/2020 on line 3)"},
		{"second over 12 is a day", "1,03/04/2020,x\n2,8/14/2020 2:30 PM,x\n", Undecided, MonthFirst, "", "MM/DD/YYYY (decided by 8/14/2020 2:30 PM on line 3)"},
		{"cannot tell", "1,03/04/2020,x\n2,05/06/2020,x\n", Undecided, Undecided, "f.csv: column event_date: its dates read as day-first and as month-first alike (03/04/2020 on line 2", ""},
		{"given", "1,03/04/2020,x\n", MonthFirst, MonthFirst, "", "MM/DD/YYYY (given by --date-layout)"},
		{"ISO needs nothing", "1,2020-03-04,x\n", Undecided, Undecided, "", "YYYY-MM-DD"},
		{"named months", "1,9-May-20,x\n", Undecided, Undecided, "", "D Month YYYY"},
		{"quoted newlines keep lines right", "1,03/04/2020,\"a\nb\"\n2,31/12/2020,x\n", Undecided, DayFirst, "", "on line 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols, err := DecideDates("f.csv", header, []byte(tc.body), 2, tc.given, "event_date")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "--date-layout dmy") {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cols[0].order != tc.want || !strings.Contains(cols[0].Note(), tc.note) {
				t.Errorf("order %v, note %q; want %v, %q", cols[0].order, cols[0].Note(), tc.want, tc.note)
			}
		})
	}
}

func TestIsMissing(t *testing.T) {
	for _, s := range []string{"", " ", "NA", "na", "N/A", "n/a", "NULL", "null", "None", "NONE"} {
		if !IsMissing(s) {
			t.Errorf("%q is not missing", s)
		}
	}
	for _, s := range []string{"NAN", "Nations", "0", "-", "Non", "nil"} {
		if IsMissing(s) {
			t.Errorf("%q is missing", s)
		}
	}
}
