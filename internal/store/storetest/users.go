package storetest

import "testing"

// testUsers is filled in by the implementation.
func testUsers(t *testing.T, b Backend) {}
