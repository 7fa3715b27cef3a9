// Package truce holds what the truce binary carries with it: the bundled
// scenario (agreements, evidence, mappings) that the demo runs on. The
// program itself is under cmd/truce and internal/.
package truce

import "embed"

// Examples is the examples/ tree, embedded so `truce demo` runs from any
// directory.
//
//go:embed examples
var Examples embed.FS
