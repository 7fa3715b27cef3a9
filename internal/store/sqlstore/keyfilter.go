package sqlstore

import "hash/maphash"

// keyFilter is a Bloom filter of keys: add says whether a key may have been
// added before (false positives are rare, false negatives impossible). At
// 2 MB it keeps false positives under 1% up to about 1.5 million keys;
// beyond that they grow, which costs lookups, never correctness.
type keyFilter struct {
	seed maphash.Seed
	bits []uint64
}

const (
	keyFilterBits   = 1 << 24
	keyFilterHashes = 4
)

func newKeyFilter() *keyFilter {
	return &keyFilter{seed: maphash.MakeSeed(), bits: make([]uint64, keyFilterBits/64)}
}

// add adds key and says whether it may have been there already.
func (f *keyFilter) add(key string) bool {
	h := maphash.String(f.seed, key)
	// Double hashing: the k probes are h1 + i*h2.
	h1, h2 := uint32(h), uint32(h>>32)|1
	seen := true
	for i := range uint32(keyFilterHashes) {
		b := (h1 + i*h2) % keyFilterBits
		w, m := b/64, uint64(1)<<(b%64)
		if f.bits[w]&m == 0 {
			seen = false
			f.bits[w] |= m
		}
	}
	return seen
}
