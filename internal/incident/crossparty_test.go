package incident_test

import "testing"

// TestMergeCrossParty scores "same incident" on
// testdata/merge_pairs_crossparty.csv: pairs across parties (a party's
// claim against the other party's reports, the Air Force's waves against
// Russian MoD posts), across countries (ACLED rows of Russia and Ukraine of
// one day) and of the demo's scenario, chosen and labelled by another
// person before the attribution rules were run on them. A merge across
// parties or countries is what a monitor cannot sign: precision there must
// be 1.
func TestMergeCrossParty(t *testing.T) {
	scoreMerge(t, "testdata/merge_pairs_crossparty.csv", mergeFloors{pairs: 50, each: 15, precision: 0.9, recall: 0.3,
		strataPrecision: map[string]float64{"cross-party": 1, "cross-country": 1}})
}
