package sqlstore

// rowVals is where an import encodes the rows of a chunk: their values in
// column order, and the strings among them. A value holds the address of
// its string in strs, not the string: an interface holding a pointer needs
// no allocation, one holding a string needs a new one for each value (some
// twenty a row, a fifth of an import's allocations). The ImportTx
// implementations take a *string wherever a string goes; database/sql and
// pgx take one too.
type rowVals struct {
	vals []any
	strs []string
}

// str keeps s with the chunk's strings and returns its address, boxed.
// The address stays valid while the chunk holds the row: a strs that grows
// leaves the earlier strings where they were, still reachable through it.
func (r *rowVals) str(s string) any {
	r.strs = append(r.strs, s)
	return &r.strs[len(r.strs)-1]
}

// reset empties the chunk, keeping its room, and lets its strings go.
func (r *rowVals) reset() {
	clear(r.vals[:cap(r.vals)])
	clear(r.strs[:cap(r.strs)])
	r.vals, r.strs = r.vals[:0], r.strs[:0]
}

// valueString is the string that v, a row's value, holds or points to.
func valueString(v any) string {
	switch v := v.(type) {
	case *string:
		return *v
	case string:
		return v
	}
	return ""
}
