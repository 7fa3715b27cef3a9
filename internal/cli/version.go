package cli

import (
	"runtime/debug"
	"strings"
)

// version describes this binary from what the Go toolchain recorded in it:
// the module version ("(devel)" when built from a checkout) and the VCS
// revision, time and whether the tree had uncommitted changes. A report or
// a bug quotes it, so a finding can be traced to the code that made it.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (built without module information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = " with uncommitted changes"
			}
		}
	}
	parts := []string{v}
	if rev != "" {
		parts = append(parts, "revision "+rev+dirty)
	}
	if at != "" {
		parts = append(parts, "committed "+at)
	}
	parts = append(parts, bi.GoVersion)
	return strings.Join(parts, ", ")
}
