// Package phone gives customers' telephone numbers their one canonical
// form, the form stored, compared at login and searched for.
//
// A Chinese mainland mobile number (11 digits, 1[3-9]…) is kept in its
// national form, 13800138000, however it was typed: with spaces, dashes,
// dots or parentheses, and with or without "+86", "0086" or "86" in
// front. Any other number written with an international prefix ("+" or
// "00") is kept as "+" and its digits ("0049 151 1234 5678" →
// "+4915112345678"); a number without one keeps its digits.
package phone

import "strings"

// separators are what people type between the digits of a number
// (ASCII and the full-width forms of a Chinese input method).
var separators = strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "",
	"\u3000", "", "\u00a0", "", "－", "", "（", "", "）", "", "．", "", "＋", "+")

// Normalize returns the canonical form of a phone number as typed. Text
// that is no phone number comes back without its separators; Valid
// tells whether the result is a number.
func Normalize(s string) string {
	n := separators.Replace(strings.TrimSpace(s))
	intl := false
	switch {
	case strings.HasPrefix(n, "+"):
		n, intl = n[1:], true
	case strings.HasPrefix(n, "00"):
		n, intl = n[2:], true
	}
	if !digits(n) {
		if intl {
			return "+" + n
		}
		return n
	}
	if len(n) == 13 && strings.HasPrefix(n, "86") && IsMainlandMobile(n[2:]) {
		return n[2:]
	}
	if intl {
		return "+" + n
	}
	return n
}

// IsMainlandMobile reports whether s is a Chinese mainland mobile number
// in national form: 11 digits, the first 1 and the second 3–9.
func IsMainlandMobile(s string) bool {
	return len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && digits(s)
}

// Valid reports whether a normalized number is a phone number: 6 to 15
// digits, with "+" in front when international.
func Valid(n string) bool {
	d := strings.TrimPrefix(n, "+")
	return len(d) >= 6 && len(d) <= 15 && digits(d)
}

// Looks reports whether a search query is a whole phone number as
// people write one: only digits, separators and an optional
// international prefix, making a mainland mobile or an international
// number. Shorter runs of digits ("2026", "0013") are left to ordinary
// search.
func Looks(q string) bool {
	t := separators.Replace(strings.TrimSpace(q))
	if !digits(strings.TrimPrefix(t, "+")) {
		return false
	}
	n := Normalize(q)
	return Valid(n) && (IsMainlandMobile(n) || strings.HasPrefix(n, "+"))
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
