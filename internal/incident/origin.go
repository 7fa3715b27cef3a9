package incident

import (
	"encoding/json"
	"strings"
)

// Source references of an event are kept in its raw fields, as the source
// gave them: a mapping's url column, GDELT's SOURCEURL, the strike reports'
// post (source). refKeys are those fields, in the order they are read.
var refKeys = []string{"url", "SOURCEURL", "source_url", "source"}

// rawRef is the first source reference in a record's raw fields that names
// a document (a URL or a path): ACLED's source column is a list of outlets,
// which says who reported, not which report.
func rawRef(raw json.RawMessage) string {
	fields := rawFields(raw)
	for _, k := range refKeys {
		if v := strings.TrimSpace(fields[k]); v != "" && (strings.Contains(v, "/") || strings.HasPrefix(v, "http")) {
			return v
		}
	}
	return ""
}

// rawSpeaker is the person or office whose statement a record restates,
// when its source names one (a claims mapping's speaker column).
func rawSpeaker(raw json.RawMessage) string {
	return strings.TrimSpace(rawFields(raw)["speaker"])
}

// rawFields reads the string fields of a raw record; others are skipped.
func rawFields(raw json.RawMessage) map[string]string {
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// nearSame says whether two folded texts restate one statement: at least
// eight words each, and four fifths of the words of either in common
// (Jaccard). A wire report lightly edited by a second outlet is one origin.
func nearSame(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) < 8 || len(wb) < 8 {
		return false
	}
	set := make(map[string]int, len(wa))
	for _, w := range wa {
		set[w] |= 1
	}
	for _, w := range wb {
		set[w] |= 2
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	return float64(both) >= 0.8*float64(len(set))
}
