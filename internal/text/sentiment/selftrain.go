package sentiment

import (
	"math"
	"slices"
)

// Self-training on the batch. The threshold shift corrects where the
// decision falls; it cannot teach the model the words of a domain it has
// never seen ("情节", "作者" in book reviews). The batch itself can: its
// comments the model is confident about, on either side of the (adapted)
// threshold, label the n-grams they contain, and a naive-Bayes log ratio
// per n-gram, learnt from those pseudo-labels alone, re-ranks every
// comment of the batch: the combined score is the standardised margin
// plus selfWeight times the standardised mean ratio, and exactly as many
// comments as before stay positive. It runs only when at least
// selfMinUnknown of the batch's n-grams have no weight in the model (text
// the model was trained on has almost none, so such a batch is left as
// it is) and the batch has selfMinComments comments (on the 200 held-out
// imdb rows it cost 3 points: too few to learn from). Measured leaving
// one domain out, it is where most of the cross-domain gain comes from.
const (
	selfMinComments = 500
	selfMinUnknown  = 0.02
	selfConfident   = 0.6 // share of each side, by distance from the threshold, used as pseudo-labels
	selfWeight      = 1.0
	selfMinDocs     = 3 // n-grams in fewer confident comments are ignored
)

// selfTrain re-ranks the comments of language l (see above).
func (b *Batch) selfTrain(l lang, la *LangAdaptation) {
	if la.Comments < selfMinComments || la.Unknown < selfMinUnknown {
		return
	}
	lm := b.m.lang(l)
	idx := make([]int, 0, la.Comments)
	for i := range b.z {
		if b.lang[i] == l {
			idx = append(idx, i)
		}
	}
	// Margins relative to the threshold; confidence cut per side.
	m := make([]float64, len(idx))
	var pos, neg []float64
	for k, i := range idx {
		m[k] = b.z[i] - b.shift[l]
		if m[k] >= 0 {
			pos = append(pos, m[k])
		} else {
			neg = append(neg, -m[k])
		}
	}
	if len(pos) < selfMinDocs || len(neg) < selfMinDocs {
		return
	}
	slices.Sort(pos)
	slices.Sort(neg)
	cutPos := pos[int(float64(len(pos))*(1-selfConfident))]
	cutNeg := neg[int(float64(len(neg))*(1-selfConfident))]
	// Document frequencies of the n-grams by pseudo-label.
	df := make([][2]int32, len(lm.w))
	var docs [2]float64
	for k, i := range idx {
		c := -1
		switch {
		case m[k] >= cutPos:
			c = 1
		case -m[k] >= cutNeg:
			c = 0
		}
		if c < 0 {
			continue
		}
		docs[c]++
		for _, f := range b.feats[i] {
			df[f][c]++
		}
	}
	// Log ratio of each n-gram seen in enough confident comments, then
	// the mean over each comment's n-grams.
	ratio := make([]float32, len(df))
	lp, ln := math.Log(docs[1]+1), math.Log(docs[0]+1)
	for f, d := range df {
		if d[0]+d[1] >= selfMinDocs {
			ratio[f] = float32(math.Log(float64(d[1])+0.5) - lp - math.Log(float64(d[0])+0.5) + ln)
		}
	}
	s := make([]float64, len(idx))
	for k, i := range idx {
		var sum float64
		for _, f := range b.feats[i] {
			sum += float64(ratio[f])
		}
		if n := len(b.feats[i]); n > 0 {
			s[k] = sum * lenNorm(n, lm.pow)
		}
	}
	sdM, sdS := stdDev(m), stdDev(s)
	if sdM == 0 || sdS == 0 {
		return
	}
	comb := make([]float64, len(idx))
	for k := range idx {
		comb[k] = m[k] + selfWeight*sdM*s[k]/sdS
	}
	// Keep the number of positives the threshold gave.
	sorted := slices.Clone(comb)
	slices.SortFunc(sorted, func(x, y float64) int { return -compareFloat(x, y) })
	np := len(pos)
	thr := sorted[np-1]
	if np < len(sorted) {
		thr = (sorted[np-1] + sorted[np]) / 2
	}
	for k, i := range idx {
		b.z[i] = comb[k] - thr + b.shift[l]
	}
	la.SelfTrained = true
	la.Used = true
	la.Note += "; re-ranked by self-training on the batch"
}

func stdDev(a []float64) float64 {
	if len(a) == 0 {
		return 0
	}
	var mu, v float64
	for _, x := range a {
		mu += x
	}
	mu /= float64(len(a))
	for _, x := range a {
		v += (x - mu) * (x - mu)
	}
	return math.Sqrt(v / float64(len(a)))
}
