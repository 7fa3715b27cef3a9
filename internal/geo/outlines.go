package geo

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Outlines are admin-1 regions' outlines by ISO 3166-2 code, as an
// operator's GeoJSON file gives them: what a report's choropleth fills.
type Outlines struct {
	// Regions holds each code's polygons, each a list of rings of lon/lat
	// pairs (the outer ring first).
	Regions map[string][][][][2]float64
	// MinLon, MinLat, MaxLon, MaxLat bound every ring.
	MinLon, MinLat, MaxLon, MaxLat float64
}

// isoKeys are the properties that name a feature's ISO 3166-2 code, in
// the files truce has met.
var isoKeys = []string{"iso3166-2", "ISO3166-2", "Region_ISO_Code", "iso3166_2"}

// ParseOutlines reads a GeoJSON FeatureCollection of Polygon and
// MultiPolygon features, each naming its ISO 3166-2 code in one of the
// usual properties. A feature without a code, or with geometry that is no
// polygon, is an error naming it: a map with a region silently missing
// would read as a region without findings.
func ParseOutlines(b []byte) (*Outlines, error) {
	var fc geoJSON
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("geojson: %w", err)
	}
	o := &Outlines{Regions: map[string][][][][2]float64{}}
	first := true
	for k, f := range fc.Features {
		id := ""
		for _, key := range isoKeys {
			if v, ok := f.Properties[key].(string); ok && v != "" {
				id = strings.ToUpper(strings.TrimSpace(v))
				break
			}
		}
		if id == "" {
			return nil, fmt.Errorf("geojson feature %d: no ISO 3166-2 code (a property %s)", k, strings.Join(isoKeys, ", "))
		}
		polys, err := parseGeometry(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("geojson feature %d (%s): %w", k, id, err)
		}
		for _, p := range polys {
			if p.minX < -180 || p.maxX > 180 || p.minY < -90 || p.maxY > 90 {
				return nil, fmt.Errorf("geojson feature %d (%s): coordinates outside longitude -180..180 and latitude -90..90: the outlines must be in WGS 84 degrees (RFC 7946), not projected", k, id)
			}
			o.Regions[id] = append(o.Regions[id], p.rings)
			if first {
				o.MinLon, o.MinLat, o.MaxLon, o.MaxLat = p.minX, p.minY, p.maxX, p.maxY
				first = false
			}
			o.MinLon, o.MinLat = min(o.MinLon, p.minX), min(o.MinLat, p.minY)
			o.MaxLon, o.MaxLat = max(o.MaxLon, p.maxX), max(o.MaxLat, p.maxY)
		}
	}
	if len(o.Regions) == 0 {
		return nil, fmt.Errorf("geojson: no region outlines")
	}
	return o, nil
}
