package email

import (
	"strings"
	"testing"
)

// BenchmarkParseCorpus parses every message of the seed corpus once per
// iteration.
func BenchmarkParseCorpus(b *testing.B) {
	raws := readCorpus(b)
	for b.Loop() {
		for _, raw := range raws {
			Parse(raw)
		}
	}
}

// BenchmarkParseHostile parses a 200 KB subject and a 1 MB single-line body.
func BenchmarkParseHostile(b *testing.B) {
	raw := []byte("From: a@example.com\r\nSubject: " + strings.Repeat("长", 70000) + "\r\n\r\n" + strings.Repeat("x", 1<<20))
	for b.Loop() {
		Parse(raw)
	}
}
