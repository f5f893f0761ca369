package tokenize

import (
	"slices"
	"testing"
)

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"resetting": "reset", "resets": "reset", "reset": "reset", "caresses": "caress", "ponies": "poni",
		"relational": "relat", "conditional": "condit", "hopping": "hop", "filing": "file", "happy": "happi",
		"generalization": "gener", "warranty": "warranti", "warranties": "warranti", "leaking": "leak",
		"leaks": "leak", "draining": "drain", "connection": "connect", "connected": "connect", "a": "a",
	} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTermsFindTwoCharacterWordsAndModels(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string // each must be among the terms
		not  []string
	}{
		{"KFR-35GW 空调不制冷怎么办", []string{"kfr35gw", "kfr", "35gw", "空调", "不制冷", "制冷"}, []string{"么办", "怎么"}},
		{"kfr35gw", []string{"kfr35gw"}, nil},
		{"我的洗衣机不脱水了", []string{"洗衣机", "不脱水", "脱水"}, []string{"我的", "的洗"}},
		{"滚筒门打不开", []string{"滚筒", "门打", "打不", "不开"}, nil},
		{"How do I reset the remote?", []string{"reset", "remot"}, []string{"the", "how"}},
		{"Resetting WM-100 washers", []string{"reset", "wm100", "wm", "100", "washer"}, nil},
	} {
		got := Terms(c.text)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("Terms(%q) = %q: %q missing", c.text, got, w)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("Terms(%q) = %q: %q should not be a term", c.text, got, w)
			}
		}
	}
}

func TestTokensPointAtTheirText(t *testing.T) {
	text := "型号 KFR-35GW：空调漏水 leaking"
	for _, tok := range Tokens(text) {
		src := text[tok.Start:tok.End]
		if tok.Term == "kfr35gw" && src != "KFR-35GW" {
			t.Errorf("model number spans %q", src)
		}
		if tok.Term == "漏水" && src != "漏水" {
			t.Errorf("漏水 spans %q", src)
		}
		if tok.Term == "leak" && src != "leaking" {
			t.Errorf("leak spans %q", src)
		}
	}
}

func TestQueryExpandsSynonyms(t *testing.T) {
	terms, extra := Query("空调质保多久")
	if !slices.Contains(terms, "保修") || extra == 0 {
		t.Errorf("Query(空调质保多久) = %q (%d extra), want 保修 among the synonyms", terms, extra)
	}
	terms, _ = Query("can I get my money back")
	if !slices.Contains(terms, "refund") {
		t.Errorf("Query(money back) = %q, want refund", terms)
	}
	if terms, extra := Query("firmware"); extra != 0 {
		t.Errorf("Query(firmware) = %q, want no synonyms", terms)
	}
}
