package report

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/compliance"
)

// partyColours are the parties' colours in charts, in the order the report
// lists them; every series is labelled too, so colour is never the only
// sign.
var partyColours = []string{"#c2410c", "#0369a1", "#4d7c0f", "#7c3aed", "#be185d", "#525252"}

// partyColour is a party's colour: by its place among the first reading's
// parties, so that every chart of a report gives a party the same one.
func partyColour(r *compliance.Report, party string) string {
	return partyColours[min(partyIndex(r, party), len(partyColours)-1)]
}

// partyIndex is a party's place among the first reading's parties.
func partyIndex(r *compliance.Report, party string) int {
	if len(r.Readings) > 0 {
		for i, p := range r.Readings[0].Parties {
			if p.Party == party {
				return i
			}
		}
	}
	return len(partyColours)
}

// legend draws one labelled swatch per party at y.
func legend(b io.Writer, r *compliance.Report, parties []string, x0, y float64) {
	for i, p := range parties {
		x := x0 + float64(i)*90
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/><text x="%.1f" y="%.1f" font-size="11">%s</text>`,
			x, y, partyColour(r, p), x+14, y+9, html.EscapeString("against "+p))
	}
}

// DailyChart draws, as SVG, the findings of one reading per day (in loc)
// and accused party over the report's period, the reading's window as a
// shaded band, and the release moments as marks: a chart a printed report
// holds without JavaScript or the network.
func DailyChart(w io.Writer, r *compliance.Report, reading string, loc *time.Location) error {
	var rd *compliance.Reading
	for i := range r.Readings {
		if r.Readings[i].Reading == reading {
			rd = &r.Readings[i]
		}
	}
	if rd == nil {
		return fmt.Errorf("no reading %q in the report", reading)
	}
	day := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	first, last := day(r.From), day(r.To.Add(-time.Nanosecond))
	days := int(last.Sub(first).Hours()/24+0.5) + 1
	if days < 1 || days > 3660 {
		return fmt.Errorf("a period of %d days is not charted", days)
	}
	var parties []string
	for _, p := range rd.Parties {
		parties = append(parties, p.Party)
	}
	counts := make(map[string][]int, len(parties))
	for _, p := range parties {
		counts[p] = make([]int, days)
	}
	top := 1
	for _, it := range r.Annex {
		if it.Reading != reading || counts[it.Accused] == nil {
			continue
		}
		i := int(day(it.Time).Sub(first).Hours()/24 + 0.5)
		if i >= 0 && i < days {
			counts[it.Accused][i]++
			top = max(top, counts[it.Accused][i])
		}
	}
	const width, height, left, right, topPad, bottom = 760.0, 220.0, 36.0, 12.0, 24.0, 34.0
	plotW, plotH := width-left-right, height-topPad-bottom
	x := func(t time.Time) float64 { return left + plotW*t.Sub(first).Hours()/24/float64(days) }
	slot := plotW / float64(days)
	bar := slot * 0.8 / float64(max(len(parties), 1))
	b := &strings.Builder{}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s">`,
		width, height, width, height, html.EscapeString("Findings per day and accused party under the "+reading+" reading"))
	fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fff" stroke="#999"/>`, left, topPad, plotW, plotH)
	if ws, we := rd.Window.Start, rd.Window.End; !ws.IsZero() {
		if we.IsZero() || we.After(last.AddDate(0, 0, 1)) {
			we = last.AddDate(0, 0, 1)
		}
		x0, x1 := max(x(ws), left), min(x(we), left+plotW)
		if x1 > x0 {
			fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fde68a" fill-opacity="0.45"><title>%s reading's window</title></rect>`,
				x0, topPad, x1-x0, plotH, html.EscapeString(reading))
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" fill="#92400e">%s window</text>`, x0+3, topPad+11, html.EscapeString(reading))
		}
	}
	for i, p := range parties {
		colour := partyColour(r, p)
		for d, n := range counts[p] {
			if n == 0 {
				continue
			}
			h := plotH * float64(n) / float64(top)
			fmt.Fprintf(b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s"><title>%s: %d on %s</title></rect>`,
				left+slot*float64(d)+slot*0.1+bar*float64(i), topPad+plotH-h, bar, h, colour,
				html.EscapeString(p), n, first.AddDate(0, 0, d).Format(time.DateOnly))
		}
	}
	legend(b, r, parties, left, 6)
	for _, rel := range r.Releases {
		if t := rel.Since; !t.Before(first) && t.Before(last.AddDate(0, 0, 1)) {
			fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#111" stroke-dasharray="3 2"><title>%s</title></line>`,
				x(t), x(t), topPad, topPad+plotH, html.EscapeString(fmt.Sprintf("release: %s in confirmed violation (finding/%d)", rel.Party, rel.FindingID)))
		}
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end">%d</text>`, left-4, topPad+8, top)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end">0</text>`, left-4, topPad+plotH)
	step := max(1, days/8)
	for d := 0; d < days; d += step {
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle">%s</text>`,
			left+slot*(float64(d)+0.5), topPad+plotH+14, first.AddDate(0, 0, d).Format("2 Jan"))
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end">days in %s</text>`, left+plotW, height-4, html.EscapeString(loc.String()))
	b.WriteString(`</svg>`)
	_, err := io.WriteString(w, b.String())
	return err
}

// RegionBars draws, as SVG, one reading's findings per admin-1 region and
// accused party as horizontal bars, the regions in order of their counts.
func RegionBars(w io.Writer, r *compliance.Report, reading string) error {
	type bar struct {
		label string
		by    map[string]int
		total int
	}
	bars := map[string]*bar{}
	var parties []string
	for _, it := range r.Annex {
		if it.Reading != reading || it.TimeAmbiguous {
			continue
		}
		key := it.Admin1
		b := bars[key]
		if b == nil {
			b = &bar{label: region(it.Admin1, r.Regions[it.Admin1]), by: map[string]int{}}
			bars[key] = b
		}
		b.by[it.Accused]++
		b.total++
		if !slices.Contains(parties, it.Accused) {
			parties = append(parties, it.Accused)
		}
	}
	list := make([]*bar, 0, len(bars))
	for _, b := range bars {
		list = append(list, b)
	}
	slices.SortFunc(list, func(a, b *bar) int {
		if a.total != b.total {
			return b.total - a.total
		}
		return strings.Compare(a.label, b.label)
	})
	slices.SortFunc(parties, func(a, b string) int {
		return cmp.Or(cmp.Compare(partyIndex(r, a), partyIndex(r, b)), strings.Compare(a, b))
	})
	const rowH, labelW, barW = 18.0, 260.0, 440.0
	top := 1
	for _, b := range list {
		top = max(top, b.total)
	}
	height := rowH*float64(len(list)) + 28
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 760 %.0f" width="760" height="%.0f" role="img" aria-label="%s">`,
		height, height, html.EscapeString("Findings per region under the "+reading+" reading"))
	legend(w, r, parties, labelW, 4)
	for i, b := range list {
		y := 22 + rowH*float64(i)
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end">%s</text>`, labelW-6, y+12, html.EscapeString(b.label))
		x := labelW
		for _, p := range parties {
			n := b.by[p]
			if n == 0 {
				continue
			}
			wd := barW * float64(n) / float64(top)
			fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d against %s</title></rect>`,
				x, y+2, wd, rowH-5, partyColour(r, p), html.EscapeString(b.label), n, html.EscapeString(p))
			x += wd
		}
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="11">%d</text>`, x+4, y+12, b.total)
	}
	_, err := io.WriteString(w, `</svg>`)
	return err
}
