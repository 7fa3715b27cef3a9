package mapped

import "github.com/truce-monitor/truce/internal/strictyaml"

// Maximum lengths of a mapping's values, by path ([] for any index, * for
// any map key). The source name is stored with every record: a 50 MB
// source: turned 20 rows into a 2.26 GB database. Column names, layouts and
// mapped values are short by nature. Other text gets the limit "string".
var maxLen = withFields(map[string]int{
	"source":              128,
	"aliases":             64,
	"id.column":           256,
	"id.hash_of[]":        256,
	"time.column":         256,
	"time.end":            256,
	"time.layout":         64,
	"time.time_zone":      64,
	"time.lookback":       32,
	"published.column":    256,
	"published.end":       256,
	"published.layout":    64,
	"published.time_zone": 64,
	"published.lookback":  32,
	"text[]":              256,
	"count.column":        256,
	"count.pattern":       1024,
	"count.kind":          64,
	"place.lat":           256,
	"place.lon":           256,
	"place.split":         16,
})

// fieldLen is the maximum of a Field's column, value, map keys and values.
const fieldLen = 256

// withFields adds the limits of every Field-valued key to m.
func withFields(m map[string]int) map[string]int {
	for _, f := range []string{"claimant", "accused", "type", "answers", "kind", "fatalities", "url",
		"place.name", "place.country", "place.admin1", "place.admin2", "actors[]"} {
		for _, k := range []string{"column", "value", "map.*", "default"} {
			m[f+"."+k] = fieldLen
		}
	}
	m["actors[].role"] = 64
	return m
}

func decodeOptions(lim strictyaml.Limits) strictyaml.Options {
	return strictyaml.Options{Limits: lim, MaxLen: maxLen}
}
