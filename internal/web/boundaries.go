package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

// MaxBoundaries bounds the admin-1 outlines file (--boundaries): the page
// loads it whole.
const MaxBoundaries = 32 << 20

// LoadBoundaries reads the admin-1 outlines the operator gives the map
// (truce serve --boundaries FILE): a GeoJSON FeatureCollection of
// Polygon and MultiPolygon features, at most MaxBoundaries bytes. An error
// names the file and says what is wrong.
func LoadBoundaries(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("boundaries %s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxBoundaries+1))
	if err != nil {
		return nil, fmt.Errorf("boundaries %s: %w", path, err)
	}
	if len(b) > MaxBoundaries {
		return nil, fmt.Errorf("boundaries %s: over %d MiB: simplify the outlines (mapshaper, ogr2ogr -simplify)", path, MaxBoundaries>>20)
	}
	if err := checkBoundaries(b); err != nil {
		return nil, fmt.Errorf("boundaries %s: %w", path, err)
	}
	return b, nil
}

// checkBoundaries refuses what is not a GeoJSON FeatureCollection with at
// least one feature, each a Polygon or MultiPolygon with coordinates.
func checkBoundaries(b []byte) error {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry *struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&fc); err != nil {
		return fmt.Errorf("not GeoJSON: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return fmt.Errorf("not a GeoJSON FeatureCollection (its type is %q)", fc.Type)
	}
	if len(fc.Features) == 0 {
		return fmt.Errorf("a FeatureCollection with no feature")
	}
	for i, ft := range fc.Features {
		switch {
		case ft.Type != "Feature":
			return fmt.Errorf("feature %d: type %q, want Feature", i, ft.Type)
		case ft.Geometry == nil:
			return fmt.Errorf("feature %d: no geometry", i)
		case ft.Geometry.Type != "Polygon" && ft.Geometry.Type != "MultiPolygon":
			return fmt.Errorf("feature %d: a %s, want Polygon or MultiPolygon outlines", i, ft.Geometry.Type)
		case len(ft.Geometry.Coordinates) < 2 || ft.Geometry.Coordinates[0] != '[':
			return fmt.Errorf("feature %d: no coordinates", i)
		}
	}
	return nil
}

// boundaries serves the operator's admin-1 outlines, or 404 when none
// were given.
func (h *Handler) boundaries(w http.ResponseWriter, r *http.Request) {
	if len(h.opts.Boundaries) == 0 {
		http.Error(w, "no boundaries: the server was started without --boundaries", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(h.opts.Boundaries)
}
