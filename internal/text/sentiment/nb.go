package sentiment

import (
	"math"
	"strings"
	"unicode"
)

// naiveBayes is the baseline the model is compared with: multinomial
// naive Bayes with add-one smoothing over character uni- and bigrams
// (Chinese) or lower-cased word uni- and bigrams (English).
type naiveBayes struct {
	l      lang
	counts map[string]*[2]float64
	total  [2]float64
	docs   [2]float64
}

func nbTokens(l lang, text string) []string {
	var toks []string
	if l == langZh {
		var prev string
		for _, r := range strings.ToLower(text) {
			if unicode.IsSpace(r) || unicode.IsPunct(r) {
				prev = ""
				continue
			}
			s := string(r)
			toks = append(toks, s)
			if prev != "" {
				toks = append(toks, prev+s)
			}
			prev = s
		}
		return toks
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	for i, w := range words {
		toks = append(toks, w)
		if i > 0 {
			toks = append(toks, words[i-1]+" "+w)
		}
	}
	return toks
}

func trainNB(l lang, exs []Example) *naiveBayes {
	nb := &naiveBayes{l: l, counts: map[string]*[2]float64{}}
	for _, ex := range exs {
		nb.docs[ex.Label]++
		for _, t := range nbTokens(l, ex.Text) {
			c := nb.counts[t]
			if c == nil {
				c = new([2]float64)
				nb.counts[t] = c
			}
			c[ex.Label]++
			nb.total[ex.Label]++
		}
	}
	return nb
}

func (nb *naiveBayes) predict(text string) int {
	v := float64(len(nb.counts))
	var lp [2]float64
	for c := range 2 {
		lp[c] = math.Log((nb.docs[c] + 1) / (nb.docs[0] + nb.docs[1] + 2))
	}
	for _, t := range nbTokens(nb.l, text) {
		cnt, ok := nb.counts[t]
		if !ok {
			continue
		}
		for c := range 2 {
			lp[c] += math.Log((cnt[c] + 1) / (nb.total[c] + v))
		}
	}
	if lp[1] > lp[0] {
		return 1
	}
	return 0
}

func (nb *naiveBayes) accuracy(exs []Example) float64 {
	if len(exs) == 0 {
		return math.NaN()
	}
	ok := 0
	for _, ex := range exs {
		if nb.predict(ex.Text) == ex.Label {
			ok++
		}
	}
	return float64(ok) / float64(len(exs))
}
