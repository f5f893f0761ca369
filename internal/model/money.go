package model

import (
	"strconv"
	"strings"
)

// Money is an amount in a currency's minor units (fen for CNY, cents for
// USD), never a float: sums and quotes must add up to the last fen.
type Money struct {
	Amount   int64  // minor units
	Currency string // ISO 4217 code, e.g. "CNY"
}

// ValidCurrency reports whether c looks like an ISO 4217 code: three
// upper-case letters.
func ValidCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := range 3 {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// MinorDigits is how many decimal places a currency's minor unit has:
// 0 for yen and won, 3 for the dinars, 2 for the others.
func MinorDigits(currency string) int {
	switch currency {
	case "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// FormatMinor writes amount (minor units) as a decimal in currency's
// major unit, "1234.50" for 123450 fen, without going through a float.
func FormatMinor(amount int64, currency string) string {
	digits := MinorDigits(currency)
	neg := amount < 0
	if neg {
		amount = -amount
	}
	s := strconv.FormatInt(amount, 10)
	if digits > 0 {
		if len(s) <= digits {
			s = strings.Repeat("0", digits-len(s)+1) + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String is the amount with its currency: "CNY 1234.50".
func (m Money) String() string { return m.Currency + " " + FormatMinor(m.Amount, m.Currency) }

// ParseMajor reads a decimal amount in currency's major unit ("1234.5",
// "1,234.50", "¥88") into minor units without a float. It reports false
// for anything else, or for more decimals than the currency has.
func ParseMajor(s, currency string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "¥￥$€£")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, false
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	digits := MinorDigits(currency)
	if whole == "" || (hasDot && frac == "") || len(frac) > digits || len(whole) > 15 {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
	}
	frac += strings.Repeat("0", digits-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}
