package storetest

import "testing"

// testReviews is filled in by the implementation.
func testReviews(t *testing.T, b Backend) {}
