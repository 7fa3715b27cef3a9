package match

import (
	"fmt"

	"github.com/truce-monitor/truce/internal/agreement"
)

// polygon is a list of linear rings of [lon, lat] positions: the outer
// boundary and its holes. Containment is by the even-odd rule over all rings,
// which is what makes holes holes.
type polygon [][][2]float64

// contains reports whether the point is inside. A point exactly on an edge
// may fall either way; places are never that exact.
func (p polygon) contains(lon, lat float64) bool {
	in := false
	for _, ring := range p {
		for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
			xi, yi := ring[i][0], ring[i][1]
			xj, yj := ring[j][0], ring[j][1]
			if (yi > lat) != (yj > lat) && lon < (xj-xi)*(lat-yi)/(yj-yi)+xi {
				in = !in
			}
		}
	}
	return in
}

// decodePolygon reads the coordinates of a Polygon or MultiPolygon as YAML
// decoding leaves them ([]any down to numbers of any integer or float type)
// or as Go code writes them ([][][]float64...).
func decodePolygon(p *agreement.Polygon) ([]polygon, error) {
	switch p.Type {
	case "Polygon":
		poly, err := decodeRings(p.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("polygon: %w", err)
		}
		return []polygon{poly}, nil
	case "MultiPolygon":
		list, ok := asList(p.Coordinates)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("MultiPolygon coordinates must be a list of polygons")
		}
		out := make([]polygon, 0, len(list))
		for i, v := range list {
			poly, err := decodeRings(v)
			if err != nil {
				return nil, fmt.Errorf("MultiPolygon polygon %d: %w", i, err)
			}
			out = append(out, poly)
		}
		return out, nil
	}
	return nil, fmt.Errorf("geometry type %q is not Polygon or MultiPolygon", p.Type)
}

func decodeRings(v any) (polygon, error) {
	rings, ok := asList(v)
	if !ok || len(rings) == 0 {
		return nil, fmt.Errorf("coordinates must be a list of linear rings")
	}
	poly := make(polygon, 0, len(rings))
	for i, r := range rings {
		pts, ok := asList(r)
		if !ok || len(pts) < 4 {
			return nil, fmt.Errorf("ring %d needs at least 4 positions", i)
		}
		ring := make([][2]float64, 0, len(pts))
		for j, pt := range pts {
			xy, ok := asList(pt)
			if !ok || len(xy) < 2 {
				return nil, fmt.Errorf("ring %d position %d is not [longitude, latitude]", i, j)
			}
			lon, ok1 := asNumber(xy[0])
			lat, ok2 := asNumber(xy[1])
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("ring %d position %d: %v is not a pair of numbers", i, j, xy)
			}
			ring = append(ring, [2]float64{lon, lat})
		}
		poly = append(poly, ring)
	}
	return poly, nil
}

// asList views any list form the coordinates can take as []any.
func asList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []float64:
		return toAny(l), true
	case [][]float64:
		return toAny(l), true
	case [][][]float64:
		return toAny(l), true
	case [][][][]float64:
		return toAny(l), true
	}
	return nil, false
}

func toAny[T any](l []T) []any {
	out := make([]any, len(l))
	for i, x := range l {
		out[i] = x
	}
	return out
}

func asNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint:
		return float64(n), true
	}
	return 0, false
}
