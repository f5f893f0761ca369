package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"strings"
)

// TokenPrefix starts every API token so that leaked tokens are easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "act_"

// NewSecret returns a new random token secret (prefix plus 26 base32
// characters, 130 bits) and its SHA-256 hash, the only form stored.
func NewSecret() (secret string, hash []byte) {
	secret = TokenPrefix + strings.ToLower(rand.Text())
	return secret, HashSecret(secret)
}

// HashSecret returns the SHA-256 of a token secret. A plain hash, not a
// password hash, is right here: the secret has 130 random bits, so there
// is nothing to brute-force, and checks must cost microseconds.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
