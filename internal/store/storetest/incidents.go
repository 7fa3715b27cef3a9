package storetest

import "testing"

// testIncidents is filled in by the implementation.
func testIncidents(t *testing.T, b Backend) {}
