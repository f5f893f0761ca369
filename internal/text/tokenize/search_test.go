package tokenize

import (
	"slices"
	"testing"
)

func TestSearchTermsAreBigrams(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"换屏幕", []string{"换屏", "屏幕"}}, // no dictionary word swallows 屏幕
		{"申请退款了", []string{"申请", "请退", "退款", "款了"}},
		{"坏", []string{"坏"}},
		{"Lens ERROR 屏幕 KFR-35GW", []string{"len", "error", "屏幕", "kfr35gw", "kfr", "35gw"}},
		{"SR-2026-000123", []string{"sr2026000123", "sr", "2026", "000123"}},
	} {
		if got := SearchTerms(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("SearchTerms(%q): got %q, want %q", tc.text, got, tc.want)
		}
	}
}
