package sqlstore

import "hash/maphash"

// keyFilter is a Bloom filter of keys: add says whether a key may have been
// added before (false positives are rare, false negatives impossible). At
// 2 MB it keeps false positives under 1% up to about 1.5 million keys;
// beyond that they grow, which costs lookups, never correctness.
type keyFilter struct {
	seed maphash.Seed
	bits []uint64
	// exact, when set, holds the hash of every key added, for a table
	// whose key index is dropped until the commit: add then says a key
	// was added before only if one with its 64-bit hash was, since each
	// key it reports costs a build of the index. Nil from the start
	// otherwise, and once the index is back.
	exact map[uint64]struct{}
}

// maxExactKeys bounds a filter's exact set (about 16 bytes a key): past
// it, the key index is built again and the Bloom filter alone goes on.
const maxExactKeys = 1 << 22

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
	bloom := f.addBloom(h)
	if f.exact == nil {
		return bloom
	}
	if !bloom {
		f.exact[h] = struct{}{}
		return false // not in the Bloom filter: never added
	}
	if _, seen := f.exact[h]; seen {
		return true
	}
	f.exact[h] = struct{}{}
	return false
}

// full says whether the exact set has grown past its bound.
func (f *keyFilter) full() bool { return len(f.exact) > maxExactKeys }

// addBloom adds hash h to the Bloom filter and says whether it may have
// been there already.
func (f *keyFilter) addBloom(h uint64) bool {
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
