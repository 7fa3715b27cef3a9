package ingest

// ContainsFold reports whether s contains word, ignoring ASCII case. word
// must be lower-case ASCII. It does not allocate, unlike
// strings.Contains(strings.ToLower(s), word), which matters on notes fields
// of a million-row file.
func ContainsFold(s, word string) bool {
	n := len(word)
	if n == 0 {
		return true
	}
	first := word[0]
	for i := 0; i+n <= len(s); i++ {
		if lower(s[i]) != first {
			continue
		}
		j := 1
		for j < n && lower(s[i+j]) == word[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

// FirstFold returns the first of words that s contains, ignoring ASCII case,
// or "".
func FirstFold(s string, words ...string) string {
	for _, w := range words {
		if ContainsFold(s, w) {
			return w
		}
	}
	return ""
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
