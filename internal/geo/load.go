package geo

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Format names a file format Load understands.
type Format string

// Formats.
const (
	// GeoNamesPostal is the GeoNames postal-code dump (e.g. UA.txt): 12
	// tab-separated columns, no header. Each settlement is tied to the unit
	// named in admin_name1.
	GeoNamesPostal Format = "geonames-postal"
	// OblastCSV is a headed CSV with an ISO 3166-2 column (iso3166_2) and
	// name columns (name_uk, name_ru, name_en, name, ...): every non-empty name
	// becomes an alias.
	OblastCSV Format = "oblast-csv"
	// GeoJSON is a FeatureCollection of admin-1 polygons whose properties hold
	// the ISO code ("iso3166-2" as in OpenStreetMap, or "Region_ISO_Code") and
	// names ("name", "name:uk", "Region_Name", ...). Names become aliases and
	// shapes are kept for PointIn.
	GeoJSON Format = "geojson"
)

// Load adds entries from r and returns how many records it read. Errors name
// the line or feature.
func (g *Gazetteer) Load(r io.Reader, format Format) (int, error) {
	switch format {
	case GeoNamesPostal:
		return g.loadGeoNames(r)
	case OblastCSV:
		return g.loadOblastCSV(r)
	case GeoJSON:
		return g.loadGeoJSON(r)
	}
	return 0, fmt.Errorf("load gazetteer: unknown format %q (want %s, %s or %s)", format, GeoNamesPostal, OblastCSV, GeoJSON)
}

func (g *Gazetteer) loadGeoNames(r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	// admin_name1 spellings repeat on every row: resolve each once.
	units := map[string]int{}
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) < 5 {
			return n, fmt.Errorf("geonames line %d: %d columns, want 12", line, len(cols))
		}
		place, admin := cols[2], cols[3]
		u, ok := units[admin]
		if !ok {
			a, found := g.Resolve(admin)
			if !found {
				return n, fmt.Errorf("geonames line %d: admin_name1 %q (code %s) matches no unit", line, admin, cols[4])
			}
			u = g.byID[a.ID]
			units[admin] = u
		}
		if f := stripAdminWords(normName(place)); f != "" {
			if g.places[f] == nil {
				g.places[f] = map[int]int{}
			}
			g.places[f][u]++
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("geonames: %w", err)
	}
	return n, nil
}

func (g *Gazetteer) loadOblastCSV(r io.Reader) (int, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return 0, fmt.Errorf("oblast csv: header: %w", err)
	}
	idCol := -1
	var nameCols []int
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "iso3166_2" || h == "iso3166-2" || h == "iso":
			idCol = i
		case h == "name" || strings.HasPrefix(h, "name_") || strings.HasPrefix(h, "name:"):
			nameCols = append(nameCols, i)
		}
	}
	if idCol < 0 {
		return 0, fmt.Errorf("oblast csv: no iso3166_2 column in header %q", head)
	}
	n := 0
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("oblast csv: %w", err)
		}
		u, ok := g.byID[strings.ToUpper(strings.TrimSpace(rec[idCol]))]
		if !ok {
			return n, fmt.Errorf("oblast csv line %d: unknown ISO 3166-2 code %q", line, rec[idCol])
		}
		for _, c := range nameCols {
			if c < len(rec) {
				g.addName(rec[c], u)
			}
		}
		n++
	}
}

type geoJSON struct {
	Features []struct {
		Properties map[string]any `json:"properties"`
		Geometry   struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func (g *Gazetteer) loadGeoJSON(r io.Reader) (int, error) {
	var fc geoJSON
	if err := json.NewDecoder(r).Decode(&fc); err != nil {
		return 0, fmt.Errorf("geojson: %w", err)
	}
	for k, f := range fc.Features {
		id := ""
		for _, key := range []string{"iso3166-2", "ISO3166-2", "Region_ISO_Code", "iso3166_2"} {
			if v, ok := f.Properties[key].(string); ok && v != "" {
				id = v
				break
			}
		}
		u, ok := g.byID[strings.ToUpper(id)]
		if !ok {
			return k, fmt.Errorf("geojson feature %d: unknown or missing ISO 3166-2 code %q", k, id)
		}
		for key, v := range f.Properties {
			if s, ok := v.(string); ok && (key == "name" || key == "Region_Name" || strings.HasPrefix(key, "name:") || strings.HasPrefix(key, "official_name")) {
				g.addName(s, u)
			}
		}
		polys, err := parseGeometry(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return k, fmt.Errorf("geojson feature %d (%s): %w", k, id, err)
		}
		g.shapes[u] = append(g.shapes[u], polys...)
	}
	return len(fc.Features), nil
}

// polygon is a set of rings (outer ring, holes, sometimes islands), lon/lat
// pairs, with a bounding box; containment is even-odd over all rings.
type polygon struct {
	rings                  [][][2]float64
	minX, minY, maxX, maxY float64
}

func parseGeometry(typ string, raw json.RawMessage) ([]polygon, error) {
	var rings [][][][2]float64
	switch typ {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("polygon coordinates: %w", err)
		}
		rings = append(rings, p)
	case "MultiPolygon":
		if err := json.Unmarshal(raw, &rings); err != nil {
			return nil, fmt.Errorf("multipolygon coordinates: %w", err)
		}
	default:
		return nil, fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", typ)
	}
	var out []polygon
	for _, p := range rings {
		if len(p) == 0 || len(p[0]) < 3 {
			continue
		}
		// The box spans every ring: some files put islands and mainland as
		// rings of one Polygon, with a small island first.
		poly := polygon{rings: p, minX: p[0][0][0], maxX: p[0][0][0], minY: p[0][0][1], maxY: p[0][0][1]}
		for _, ring := range p {
			for _, pt := range ring {
				poly.minX, poly.maxX = min(poly.minX, pt[0]), max(poly.maxX, pt[0])
				poly.minY, poly.maxY = min(poly.minY, pt[1]), max(poly.maxY, pt[1])
			}
		}
		out = append(out, poly)
	}
	return out, nil
}

// contains is the even-odd rule over all rings, so holes are holes.
func (p *polygon) contains(x, y float64) bool {
	if x < p.minX || x > p.maxX || y < p.minY || y > p.maxY {
		return false
	}
	in := false
	for _, ring := range p.rings {
		for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
			xi, yi, xj, yj := ring[i][0], ring[i][1], ring[j][0], ring[j][1]
			if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
				in = !in
			}
		}
	}
	return in
}

// PointIn returns the unit whose loaded shape contains the point. Where
// shapes overlap (a city drawn inside its oblast without a hole) the smaller
// one wins. Without a loaded GeoJSON it finds nothing.
func (g *Gazetteer) PointIn(lat, lon float64) (Admin1, bool) {
	best, bestArea := -1, 0.0
	for u, polys := range g.shapes {
		for i := range polys {
			p := &polys[i]
			if !p.contains(lon, lat) {
				continue
			}
			if a := (p.maxX - p.minX) * (p.maxY - p.minY); best < 0 || a < bestArea {
				best, bestArea = u, a
			}
		}
	}
	if best < 0 {
		return Admin1{}, false
	}
	return g.units[best], true
}
