package sqlstore

// A reader narrows a list of records, of findings or of incidents by what
// their records are: kind, target category, country, admin-1. The
// conditions are written once, here, over the column expressions of the
// query at hand.

// recordCols names a record's columns in a query: one table's (an event's
// or a claim's) or, for findings and incidents, an event (e) or claim (c)
// joined to it. An empty name is a column the query has none of.
type recordCols struct {
	source, kind, targets string
	// country and admin1 are an event's; places a claim's (a JSON array).
	country, admin1, places string
}

var (
	eventCols = recordCols{source: "source", kind: "kind", targets: "targets", country: "country", admin1: "admin1_id"}
	claimCols = recordCols{source: "source", kind: "kind", targets: "targets", places: "places"}
	// joinedCols are those of an event e or a claim c LEFT JOINed to a row
	// that names one of them.
	joinedCols = recordCols{source: "COALESCE(e.source, c.source)", kind: "COALESCE(e.kind, c.kind)",
		targets: "COALESCE(e.targets, c.targets)", country: "e.country", admin1: "e.admin1_id", places: "c.places"}
)

// recordNarrowing is what a record must be: zero fields select every record.
type recordNarrowing struct {
	source, kind, category, country, admin1 string
}

// narrowSQL returns the conditions (each one whole, to be joined with AND)
// that select the records n does among cols; jsonMember is the dialect's
// (Dialect.JSONMember).
func narrowSQL(cols recordCols, n recordNarrowing, jsonMember func(col, key string) string) ([]string, []any) {
	var conds []string
	var args []any
	if n.source != "" {
		conds, args = append(conds, cols.source+" = ?"), append(args, n.source)
	}
	if n.kind != "" {
		// The kind or a narrower one: "strike" or "strike.%".
		conds, args = append(conds, "("+cols.kind+" = ? OR "+cols.kind+` LIKE ? ESCAPE '\')`), append(args, n.kind, likeEscape(n.kind)+".%")
	}
	if n.category != "" {
		// The category or a narrower one: "energy" or "energy.%".
		conds = append(conds, "("+jsonMember(cols.targets, "term")+" OR "+jsonMember(cols.targets, "term")+")")
		args = append(args, likeEscape(n.category), likeEscape(n.category)+".%")
	}
	place := func(v, col, key string) {
		if v == "" {
			return
		}
		var alts []string
		if col != "" {
			alts, args = append(alts, col+" = ?"), append(args, v)
		}
		if cols.places != "" {
			alts, args = append(alts, jsonMember(cols.places, key)), append(args, likeEscape(v))
		}
		if len(alts) == 1 {
			conds = append(conds, alts[0])
		} else {
			conds = append(conds, "("+alts[0]+" OR "+alts[1]+")")
		}
	}
	place(n.country, cols.country, "country")
	place(n.admin1, cols.admin1, "admin1_id")
	return conds, args
}
