package report

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/geo"
)

// choroplethColours are the classes' fills, light to dark (ColorBrewer's
// YlOrRd, which stays ordered in grey print); a region without findings
// is pale grey. Each region's count is written on it too.
var choroplethColours = []string{"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"}

const noFindings = "#f3f4f6"

// Choropleth draws, as SVG, one reading's findings per admin-1 region on
// the operator's outlines: each region filled by its class of count, the
// count written on it, a legend of the classes, and under the map the
// regions with findings that the outlines do not draw, so that no count
// is lost. Findings whose record straddles a window edge are left out, as
// in the counts of the region table.
func Choropleth(w io.Writer, r *compliance.Report, reading string, o *geo.Outlines) error {
	counts := map[string]int{}
	for _, it := range r.Annex {
		if it.Reading == reading && !it.TimeAmbiguous && it.Admin1 != "" {
			counts[strings.ToUpper(it.Admin1)]++
		}
	}
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	breaks := classBreaks(top, len(choroplethColours))
	const width, pad = 760.0, 8.0
	midLat := (o.MinLat + o.MaxLat) / 2 * math.Pi / 180
	kx := math.Cos(midLat) // equirectangular, true to scale at the middle latitude
	spanX, spanY := (o.MaxLon-o.MinLon)*kx, o.MaxLat-o.MinLat
	if spanX <= 0 || spanY <= 0 {
		return fmt.Errorf("choropleth: the outlines have no extent")
	}
	scale := (width - 2*pad) / spanX
	mapH := spanY*scale + 2*pad
	height := mapH + 30
	px := func(lon, lat float64) (float64, float64) {
		return pad + (lon-o.MinLon)*kx*scale, pad + (o.MaxLat-lat)*scale
	}
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s">`,
		width, height, width, height, html.EscapeString("Map of findings per region under the "+reading+" reading"))
	codes := make([]string, 0, len(o.Regions))
	for code := range o.Regions {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	type label struct {
		x, y float64
		n    int
	}
	var labels []label
	for _, code := range codes {
		n := counts[code]
		fill := noFindings
		if n > 0 {
			fill = choroplethColours[classOf(n, breaks)]
		}
		var d strings.Builder
		var bestArea, lx, ly float64
		for _, poly := range o.Regions[code] {
			for ri, ring := range poly {
				ringPath(&d, ring, px)
				if ri == 0 { // the outer ring's box places the label
					minX, minY, maxX, maxY := ringBox(ring, px)
					if a := (maxX - minX) * (maxY - minY); a > bestArea {
						bestArea, lx, ly = a, (minX+maxX)/2, (minY+maxY)/2
					}
				}
			}
		}
		name := region(code, r.Regions[code])
		fmt.Fprintf(w, `<path d="%s" fill="%s" fill-rule="evenodd" stroke="#6b7280" stroke-width="0.6"><title>%s: %d</title></path>`,
			d.String(), fill, html.EscapeString(name), n)
		if n > 0 {
			labels = append(labels, label{lx, ly, n})
		}
	}
	for _, l := range labels { // on top of every region
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="11" font-weight="bold" text-anchor="middle" stroke="#fff" stroke-width="2.5" paint-order="stroke">%d</text>`,
			l.x, l.y+4, l.n)
	}
	choroplethLegend(w, breaks, mapH+6)
	if off := offMap(counts, o, r.Regions); off != "" {
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="10">%s</text>`, pad, height-2, html.EscapeString("Not on this map: "+off))
	}
	_, err := io.WriteString(w, `</svg>`)
	return err
}

// classBreaks are the upper bounds of up to k classes over counts 1..top:
// one class a count while they are few, equal steps after.
func classBreaks(top, k int) []int {
	if top <= 0 {
		return nil
	}
	if top <= k {
		b := make([]int, top)
		for i := range b {
			b[i] = i + 1
		}
		return b
	}
	var b []int
	for i := 1; i <= k; i++ {
		ub := int(math.Ceil(float64(top) * float64(i) / float64(k)))
		if len(b) == 0 || ub > b[len(b)-1] {
			b = append(b, ub)
		}
	}
	return b
}

// classOf is the class of count n (n >= 1): the first whose upper bound
// holds it, spread over the colours so that the darkest is the top class.
func classOf(n int, breaks []int) int {
	i, _ := slices.BinarySearch(breaks, n)
	i = min(i, len(breaks)-1)
	if len(breaks) < len(choroplethColours) {
		return i + len(choroplethColours) - len(breaks)
	}
	return i
}

func choroplethLegend(w io.Writer, breaks []int, y float64) {
	x := 8.0
	swatch := func(fill, text string) {
		fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="14" height="12" fill="%s" stroke="#6b7280" stroke-width="0.6"/>`, x, y, fill)
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="11">%s</text>`, x+18, y+10, html.EscapeString(text))
		x += 24 + 7*float64(len(text))
	}
	swatch(noFindings, "none")
	lo := 1
	for _, ub := range breaks {
		text := strconv.Itoa(lo)
		if ub > lo {
			text += "–" + strconv.Itoa(ub)
		}
		swatch(choroplethColours[classOf(ub, breaks)], text)
		lo = ub + 1
	}
	fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="11">findings per region</text>`, x+6, y+10)
}

// offMap lists the regions with findings the outlines do not draw, the
// most first: "Krasnodar Krai (RU-KDA) 3, Belgorod Oblast (RU-BEL) 2".
func offMap(counts map[string]int, o *geo.Outlines, names map[string]string) string {
	type off struct {
		code string
		n    int
	}
	var list []off
	for code, n := range counts {
		if _, ok := o.Regions[code]; !ok {
			list = append(list, off{code, n})
		}
	}
	slices.SortFunc(list, func(a, b off) int { return cmp.Or(b.n-a.n, strings.Compare(a.code, b.code)) })
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = region(x.code, names[x.code]) + " " + strconv.Itoa(x.n)
	}
	return strings.Join(parts, ", ")
}

// ringPath appends a ring to an SVG path, leaving out points within half
// a pixel of the last one kept: outlines drawn from survey data hold far
// more points than a page shows.
func ringPath(d *strings.Builder, ring [][2]float64, px func(lon, lat float64) (float64, float64)) {
	var lastX, lastY float64
	kept := 0
	for i, pt := range ring {
		x, y := px(pt[0], pt[1])
		if i > 0 && i < len(ring)-1 && math.Abs(x-lastX) < 0.5 && math.Abs(y-lastY) < 0.5 {
			continue
		}
		if kept == 0 {
			fmt.Fprintf(d, "M%.1f %.1f", x, y)
		} else {
			fmt.Fprintf(d, "L%.1f %.1f", x, y)
		}
		lastX, lastY = x, y
		kept++
	}
	if kept > 0 {
		d.WriteByte('Z')
	}
}

func ringBox(ring [][2]float64, px func(lon, lat float64) (float64, float64)) (minX, minY, maxX, maxY float64) {
	for i, pt := range ring {
		x, y := px(pt[0], pt[1])
		if i == 0 {
			minX, minY, maxX, maxY = x, y, x, y
			continue
		}
		minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
	}
	return minX, minY, maxX, maxY
}
