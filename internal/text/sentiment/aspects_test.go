package sentiment

import "testing"

// TestFindZhAll: the one-pass search finds, for every aspect, the term
// findZh finds.
func TestFindZhAll(t *testing.T) {
	m := mustModel(t)
	texts := []string{"快递很快，包装完好", "心情很愉快", "师傅态度不错，但是来得太晚了", "晚上送来的，价格便宜，质量不错，客服耐心", "", "等了半天，超时了，钱也多收了"}
	for _, ex := range oodComments {
		texts = append(texts, ex.text)
	}
	zh, err := LoadChinese(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range sample(zh, 3000) {
		texts = append(texts, ex.Text)
	}
	found := make([]int16, len(m.defs))
	for _, s := range texts {
		m.findZhAll(s, found)
		for d, def := range m.defs {
			got := ""
			if found[d] >= 0 {
				got = def.zh[found[d]].s
			}
			if want := findZh(s, def.zh); got != want {
				t.Errorf("%q, aspect %s: one-pass search found %q, findZh %q", s, def.name, got, want)
			}
		}
	}
}

// TestFindEnAll: the one-pass search finds, for every aspect, the word
// findEn finds.
func TestFindEnAll(t *testing.T) {
	m := mustModel(t)
	texts := []string{"Fast delivery, fair PRICE and friendly staff", "the staff's attitude", "waited waiting wait", "",
		"refund-warranty/status", "a-very-long-word-that-is-longer-than-twenty-four-letters price"}
	for _, ex := range oodComments {
		texts = append(texts, ex.text)
	}
	en, err := LoadEnglish(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range en {
		texts = append(texts, ex.Text)
	}
	found := make([]string, len(m.defs))
	for _, s := range texts {
		clear(found)
		m.findEnAll(s, found)
		for d, def := range m.defs {
			if want := findEn(s, def.en); found[d] != want {
				t.Errorf("%q, aspect %s: one-pass search found %q, findEn %q", s, def.name, found[d], want)
			}
		}
	}
}
