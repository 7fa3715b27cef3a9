package ingest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Dates in the files truce reads come in every layout their sources were
// published or re-saved in:
//
//	2025-05-16, 2025-05-16 14:30, 2025-05-16 14:30:00, 2025-05-16T14:30:00
//	16 May 2025, 9-May-20, 28-December-2022     (day, month name, year)
//	14/08/2020, 14/08/2020 00:00:00             (day first)
//	8/14/2020, 8/14/2020 2:30 PM                (month first)
//
// Each value's shape gives its layout, except that 03/04/2020 reads as
// day-first and as month-first alike. That order is decided per column per
// file from its values (a first field over 12 is a day, a second one over
// 12 is a day), looking ahead over the first dateSniff bytes before any
// row is read; the file is refused when those values cannot tell and the
// user did not say (--date-layout dmy or mdy). Two-digit years are
// 1969-2068, as POSIX strptime reads them.

// Text is the text of an input with what its user said about it, for the
// parsers to find: Prepare hands one to every format's reader.
type Text struct {
	io.Reader
	// DateOrder is --date-layout: the order of slashed dates, Undecided
	// to decide it from the values.
	DateOrder Order
}

// Order is the order of day and month in slashed dates.
type Order int

const (
	Undecided  Order = iota
	DayFirst         // 14/08/2020
	MonthFirst       // 8/14/2020
)

// ParseOrder reads a --date-layout value: dmy, mdy or "" (decide from the
// values).
func ParseOrder(s string) (Order, error) {
	switch strings.ToLower(s) {
	case "":
		return Undecided, nil
	case "dmy", "dd/mm/yyyy", "day-first":
		return DayFirst, nil
	case "mdy", "mm/dd/yyyy", "month-first":
		return MonthFirst, nil
	}
	return Undecided, fmt.Errorf("unknown date layout %q (dmy for 14/08/2020, mdy for 8/14/2020)", s)
}

func (o Order) String() string {
	switch o {
	case DayFirst:
		return "DD/MM/YYYY"
	case MonthFirst:
		return "MM/DD/YYYY"
	}
	return "undecided"
}

// dateSniff is how much text is looked at to decide a column's order.
const dateSniff = 2 << 20

// DateTime is a date read from a field, with its time of day if it had one.
type DateTime struct {
	Y         int
	M         time.Month
	D         int
	H, Min, S int
	HasTime   bool
	slashed   bool // day and month still in a and b
	named     bool
	a, b      int // a slashed date's first and second field
}

// In returns the date and time in loc.
func (d DateTime) In(loc *time.Location) time.Time {
	return time.Date(d.Y, d.M, d.D, d.H, d.Min, d.S, 0, loc)
}

// DateColumn reads the dates of one column of one file.
type DateColumn struct {
	Name  string
	order Order
	given bool   // the order came from --date-layout
	how   string // what decided it, for the summary
	seen  map[string]bool
	// late is the order a value decided after the look-ahead, when the
	// column had no slashed date in it; first one wins. Rows before it
	// whose dates could not tell were rejected, never read by a guess.
	// Atomic: `truce check` parses chunks of one file on every core.
	late    atomic.Int32
	mu      sync.Mutex
	lateHow string
}

// NotADate is the reason of a bad row whose date is in no layout truce
// reads.
const NotADate = "not a date (want 2025-05-16, 16 May 2025, 9-May-20, 14/08/2020 or 8/14/2020, with or without a time)"

// Parse reads one value of the column. reason is empty when it is a date.
func (c *DateColumn) Parse(s string) (DateTime, string) {
	dt, ok := scanDate(s)
	if !ok {
		return dt, NotADate
	}
	if !dt.slashed {
		return dt, ""
	}
	order := c.order
	if order == Undecided {
		order = Order(c.late.Load())
	}
	if order == Undecided {
		switch {
		case dt.a > 12:
			order = DayFirst
		case dt.b > 12:
			order = MonthFirst
		default:
			return dt, "day-first or month-first? the file's first dates did not tell; give --date-layout dmy or mdy"
		}
		if c.late.CompareAndSwap(int32(Undecided), int32(order)) {
			c.mu.Lock()
			c.lateHow = "decided by " + s + ", after the first " + fmt.Sprint(dateSniff>>20) + " MB"
			c.mu.Unlock()
		} else {
			order = Order(c.late.Load())
		}
	}
	day, month := dt.a, dt.b
	if order == MonthFirst {
		day, month = dt.b, dt.a
	}
	if month > 12 || !ValidDate(dt.Y, time.Month(month), day) {
		return dt, "not a date in the layout " + order.String() + " " + c.decidedBy()
	}
	dt.D, dt.M = day, time.Month(month)
	return dt, ""
}

// decidedBy says what decided the column's order, in parentheses.
func (c *DateColumn) decidedBy() string {
	if c.how != "" {
		return "(" + c.how + ")"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lateHow != "" {
		return "(" + c.lateHow + ")"
	}
	return ""
}

// Note says how the column's dates were read, for the import summary.
func (c *DateColumn) Note() string {
	var layouts []string
	if c.seen["YYYY-MM-DD"] {
		layouts = append(layouts, "YYYY-MM-DD")
	}
	if c.seen["D Month YYYY"] {
		layouts = append(layouts, "D Month YYYY")
	}
	order := c.order
	if order == Undecided {
		order = Order(c.late.Load())
	}
	if order != Undecided && (c.seen["slashed"] || c.order == Undecided) {
		layouts = append(layouts, order.String()+" "+c.decidedBy())
	}
	if len(layouts) == 0 {
		return ""
	}
	return "column " + c.Name + ": dates read as " + strings.Join(layouts, " and ")
}

// DecideDates finds the layout of each named column of header from head,
// the text after the header (which starts on line firstLine). order
// is what --date-layout gave, Undecided to decide from the values. A
// column whose slashed dates all read both ways is an error that names a
// value, its line and the flag.
func DecideDates(file string, header []string, head []byte, firstLine int, order Order, names ...string) ([]*DateColumn, error) {
	cols := make([]*DateColumn, len(names))
	for i, n := range names {
		cols[i] = &DateColumn{Name: n, order: order, given: order != Undecided, seen: map[string]bool{}}
		if order != Undecided {
			cols[i].how = "given by --date-layout"
		}
	}
	cr := csv.NewReader(bytes.NewReader(head))
	cr.FieldsPerRecord = -1
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = -1
		for j, h := range header {
			if normName(h) == normName(n) {
				idx[i] = j
			}
		}
	}
	firstAmbiguous := make([]string, len(names))
	for {
		rec, err := cr.Read()
		if err == io.EOF || (err != nil && !isFieldCount(err)) {
			break // the text was cut at dateSniff, or is malformed: enough
		}
		line, _ := cr.FieldPos(0)
		line += firstLine - 1
		for i, c := range cols {
			if idx[i] < 0 || idx[i] >= len(rec) {
				continue
			}
			v := strings.TrimSpace(rec[idx[i]])
			dt, ok := scanDate(v)
			if !ok {
				continue
			}
			switch {
			case !dt.slashed && dt.named:
				c.seen["D Month YYYY"] = true
			case !dt.slashed:
				c.seen["YYYY-MM-DD"] = true
			default:
				c.seen["slashed"] = true
			}
			if !dt.slashed || c.order != Undecided {
				continue
			}
			switch {
			case dt.a > 12:
				c.order, c.how = DayFirst, fmt.Sprintf("decided by %s on line %d", v, line)
			case dt.b > 12:
				c.order, c.how = MonthFirst, fmt.Sprintf("decided by %s on line %d", v, line)
			case firstAmbiguous[i] == "":
				firstAmbiguous[i] = fmt.Sprintf("%s on line %d", v, line)
			}
		}
	}
	for i, c := range cols {
		if c.order == Undecided && firstAmbiguous[i] != "" {
			return nil, FormatError(file, 0, fmt.Sprintf(
				"column %s: its dates read as day-first and as month-first alike (%s, and every other in the first %d MB); give --date-layout dmy (DD/MM/YYYY) or mdy (MM/DD/YYYY)",
				c.Name, firstAmbiguous[i], dateSniff>>20))
		}
	}
	return cols, nil
}

func isFieldCount(err error) bool {
	pe, ok := err.(*csv.ParseError)
	return ok && pe.Err == csv.ErrFieldCount
}

// scanDate reads the shape of a date value; a slashed one has its two
// first fields in a and b, not yet in D and M.
func scanDate(s string) (dt DateTime, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		y, m, d, ok := ParseISODate(s[:10])
		if !ok {
			return dt, false
		}
		dt.Y, dt.M, dt.D = y, m, d
		rest := s[10:]
		if rest == "" {
			return dt, true
		}
		if rest[0] != ' ' && rest[0] != 'T' {
			return dt, false
		}
		return dt, dt.clock(strings.TrimSuffix(rest[1:], "Z"))
	}
	date, clock, _ := strings.Cut(s, " ")
	if parts := strings.Split(date, "/"); len(parts) == 3 {
		a, ok1 := digits(parts[0])
		b, ok2 := digits(parts[1])
		y, ok3 := year(parts[2])
		if !ok1 || !ok2 || !ok3 || len(parts[0]) > 2 || len(parts[1]) > 2 || a < 1 || b < 1 || (a > 12 && b > 12) {
			return dt, false
		}
		dt.Y, dt.a, dt.b, dt.slashed = y, a, b, true
		if clock == "" {
			return dt, true
		}
		return dt, dt.clock(clock)
	}
	// 16 May 2025, 9-May-20, 28-December-2022
	sep := " "
	if strings.Count(s, "-") == 2 && !strings.Contains(s, " ") {
		sep = "-"
	}
	parts := strings.SplitN(s, sep, 4)
	if len(parts) < 3 {
		return dt, false
	}
	d, ok1 := digits(parts[0])
	m := monthByName(parts[1])
	y, ok2 := year(parts[2])
	if !ok1 || !ok2 || len(parts[0]) > 2 || m == 0 || !ValidDate(y, m, d) {
		return dt, false
	}
	dt.Y, dt.M, dt.D, dt.named = y, m, d, true
	if len(parts) == 4 {
		return dt, dt.clock(parts[3])
	}
	return dt, true
}

// clock reads "14:30", "14:30:00", "14:30:00.000", "2:30 PM", "2:30:00 am".
func (dt *DateTime) clock(s string) bool {
	s = strings.TrimSpace(s)
	ampm := ""
	if n := len(s); n > 2 {
		switch strings.ToUpper(s[n-2:]) {
		case "AM", "PM":
			ampm = strings.ToUpper(s[n-2:])
			s = strings.TrimSpace(s[:n-2])
		}
	}
	if i := strings.IndexByte(s, '.'); i > 0 {
		if _, ok := digits(s[i+1:]); !ok {
			return false
		}
		s = s[:i]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) > 2 || len(parts[1]) != 2 {
		return false
	}
	h, ok1 := digits(parts[0])
	mi, ok2 := digits(parts[1])
	sec, ok3 := 0, true
	if len(parts) == 3 {
		sec, ok3 = digits(parts[2])
		ok3 = ok3 && len(parts[2]) == 2
	}
	if !ok1 || !ok2 || !ok3 || mi > 59 || sec > 59 {
		return false
	}
	switch ampm {
	case "":
		if h > 23 {
			return false
		}
	default:
		if h < 1 || h > 12 {
			return false
		}
		h %= 12
		if ampm == "PM" {
			h += 12
		}
	}
	dt.H, dt.Min, dt.S, dt.HasTime = h, mi, sec, true
	return true
}

// year reads a year of four digits, or of two (1969-2068).
func year(s string) (int, bool) {
	y, ok := digits(s)
	switch {
	case !ok:
		return 0, false
	case len(s) == 4:
		return y, y > 0
	case len(s) == 2 && y >= 69:
		return 1900 + y, true
	case len(s) == 2:
		return 2000 + y, true
	}
	return 0, false
}
