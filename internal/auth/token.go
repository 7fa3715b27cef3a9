package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// TokenPrefix starts every API token, so that a leaked one is recognisable
// (by people and by secret scanners) as a truce token.
const TokenPrefix = "truce_"

// tokenBytes is the token's entropy: 256 bits, beyond any guessing.
const tokenBytes = 32

// NewToken returns a fresh random API token: TokenPrefix and 64 hex digits.
func NewToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new token: %w", err)
	}
	return TokenPrefix + hex.EncodeToString(b), nil
}

// LooksLikeToken reports whether s has the form NewToken gives, to tell a
// mistyped or truncated token from an unknown one.
func LooksLikeToken(s string) bool {
	digits, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || len(digits) != 2*tokenBytes {
		return false
	}
	_, err := hex.DecodeString(digits)
	return err == nil
}

// HashToken is what the store keeps of a token: hex SHA-256. A fast hash
// is right here, unlike for passwords: a token has 256 random bits, so
// there is no dictionary to try and brute force is hopeless at any speed,
// while a slow KDF would cost every command that authenticates. An
// unsalted hash also lets the store find the token's row by equality.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
