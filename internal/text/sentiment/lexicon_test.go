package sentiment

import "testing"

// TestVaderLexicon checks that the embedded VADER list parses onto the
// -5…5 scale, keeps its letter entries and leaves out emoticons and
// words written with digits, which the tokeniser never produces.
func TestVaderLexicon(t *testing.T) {
	m := parseLexicon(vaderTSV, nil)
	if len(m) < 6500 {
		t.Errorf("parseLexicon(vaderTSV): %d entries, want ≥ 6500", len(m))
	}
	for w, want := range map[string]float32{"great": 4, "good": 2, "bad": -3, "worst": -4, "horrible": -3} {
		if got := m[w]; got != want {
			t.Errorf("VADER %q = %v, want %v", w, got, want)
		}
	}
	for _, w := range []string{":)", ":(", "gr8", "<3", ":d"} {
		if _, ok := m[w]; ok {
			t.Errorf("VADER entry %q kept; the tokeniser never produces it", w)
		}
	}
	for w, v := range m {
		if v < -5 || v > 5 || v != float32(int(v)) {
			t.Errorf("VADER %q = %v, want a whole number in -5…5", w, v)
		}
	}
	lx := newLexicons()
	if e := lx.en["support"]; e.kind != kindWord || e.value != 0 {
		t.Errorf("en[support] = %+v, want the neutral override of VADER's value", e)
	}
	if e := lx.en["no"]; e.kind != kindNegator {
		t.Errorf("en[no] = %+v, want a negator", e)
	}
}

// TestZhLexiconOwn checks that the Chinese lexicon is the hand-written
// one: no entry outside the package's own lists.
func TestZhLexiconOwn(t *testing.T) {
	lx := newLexicons()
	own := map[string]bool{}
	for _, m := range []map[string]float32{zhPositiveWords(), zhNegativeWords(), emojiWords()} {
		for w := range m {
			own[w] = true
		}
	}
	for _, m := range []map[string]bool{zhNegatorWords(), zhNotNegatorWords(), zhContrastWords()} {
		for w := range m {
			own[w] = true
		}
	}
	for w := range lx.zh {
		if !own[w] {
			t.Errorf("zh lexicon entry %q is in none of the hand-written lists", w)
		}
	}
}

func TestRatingValue(t *testing.T) {
	tests := []struct {
		text string
		want float32
		ok   bool
	}{
		{"10/10", 3, true},
		{"I give it 3/10.", -1.2, true},
		{"8 out of 10 for the cast", 1.8, true},
		{"One star: 1 star.", -1.8, true},
		{"4.5 stars", 2.4, true},
		{"I gave it a 10", 3, true},
		{"we waited 40 minutes", 0, false},
		{"24/7 support", 0, false},
		{"no numbers here", 0, false},
	}
	for _, tt := range tests {
		got, ok := ratingValue(tt.text)
		if ok != tt.ok || (ok && (got-tt.want > 0.001 || tt.want-got > 0.001)) {
			t.Errorf("ratingValue(%q) = %v, %v; want %v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

// TestMatchZhFirstRuneIndex: the first-rune index finds exactly the entry
// the plain longest-match search finds, at every position of real texts.
func TestMatchZhFirstRuneIndex(t *testing.T) {
	lx := newLexicons()
	zh, err := LoadChinese(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"不太满意，但是总的来说还不错👍", "ＡＢＣ很好！没有问题", "不贵不贵"}
	for _, ex := range sample(zh, 2000) {
		texts = append(texts, ex.Text)
	}
	var sc scratch
	plain := func(i int) (entry, int) {
		n := len(sc.off) - 1
		end := min(n, i+lx.zhMaxLen)
		for j := i + 1; j < end; j++ {
			if sc.brk[j] {
				end = j
				break
			}
		}
		for j := end; j > i; j-- {
			if e, ok := lx.zh[string(sc.buf[sc.off[i]:sc.off[j]])]; ok {
				return e, j - i
			}
		}
		return entry{}, 0
	}
	for _, text := range texts {
		sc.prepZh(text)
		for i := 0; i < len(sc.off)-1; i++ {
			e1, n1 := sc.matchZh(lx, i, len(sc.off)-1)
			e2, n2 := plain(i)
			if e1 != e2 || n1 != n2 {
				t.Fatalf("%q at rune %d: indexed match %v/%d, plain %v/%d", text, i, e1, n1, e2, n2)
			}
		}
	}
}
