package sentiment

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Batch adaptation. A model trained on shopping and food-delivery reviews
// ranks comments from another domain well but often puts its decision
// threshold in the wrong place there: long, mixed service reviews read
// more negative to it than they are. Scoring a batch of comments
// together lets the threshold be re-estimated from the batch itself,
// without labels: the general sentiment lexicon, which does not depend
// on the domain, says how many comments are clearly positive or clearly
// negative; corrected by how often that happens to positive and negative
// comments of the training data, this estimates the batch's positive
// share. When the model's own positive share is further from it than
// adaptBand, the threshold moves (a quantile of the batch's margins) until
// the two are adaptBand apart, no further. Batches that look like the
// training data are left alone. It is deterministic: the same batch
// always gets the same labels.
const (
	// adaptMinComments is the smallest batch (per language) adapted.
	adaptMinComments = 50
	// adaptMinClear is the fewest comments with clear lexicon polarity
	// the estimate is made from.
	adaptMinClear = 20
	// adaptBand is how far the model's positive share may be from the
	// estimate before the threshold moves.
	adaptBand = 0.05
	// lexClear is the lexicon balance (d[2]) from which a comment counts
	// as clearly positive (≥) or clearly negative (≤ −).
	lexClear = 0.5
)

// lexRates are the class-conditional rates of clear lexicon polarity in
// the training data (each domain weighing the same per class).
type lexRates struct {
	pos1, pos0 float32 // lexicon clearly positive | positive, | negative
	neg1, neg0 float32 // lexicon clearly negative | positive, | negative
}

func (r lexRates) known() bool { return r.pos1 > r.pos0 && r.neg0 > r.neg1 }

// measureRates computes lexRates over a featurised training set.
func measureRates(ds *dataset) lexRates {
	var w, pos, neg [2]float64
	for i := range ds.y {
		c := int(ds.y[i])
		w[c] += ds.wt[i]
		switch b := ds.dense[i][2]; {
		case b >= lexClear:
			pos[c] += ds.wt[i]
		case b <= -lexClear:
			neg[c] += ds.wt[i]
		}
	}
	if w[0] == 0 || w[1] == 0 {
		return lexRates{}
	}
	return lexRates{pos1: float32(pos[1] / w[1]), pos0: float32(pos[0] / w[0]), neg1: float32(neg[1] / w[1]), neg0: float32(neg[0] / w[0])}
}

// estimatePositive estimates the positive share π of a batch in which
// nPos comments are clearly positive and nNeg clearly negative by the
// lexicon: among clear comments the positive fraction is
// s = (π·pos1 + (1−π)·pos0) / (π·(pos1+neg1) + (1−π)·(pos0+neg0)),
// solved for π.
func (r lexRates) estimatePositive(nPos, nNeg int) float64 {
	s := float64(nPos) / float64(nPos+nNeg)
	a, b, c, e := float64(r.pos1), float64(r.pos0), float64(r.neg1), float64(r.neg0)
	den := s*(a+c) - s*(b+e) - a + b
	if den == 0 {
		return s
	}
	return min(0.98, max(0.02, (b-s*(b+e))/den))
}

// Adaptation reports whether and how a batch's decisions were adapted.
type Adaptation struct {
	// Used is true when the threshold moved for at least one language.
	Used bool `json:"used"`
	// Requested is false when the caller asked for no adaptation.
	Requested bool `json:"requested"`
	// Method names the procedure, for the record.
	Method string `json:"method"`
	// Languages has one entry per language present in the batch.
	Languages []LangAdaptation `json:"languages"`
}

// adaptMethod describes the adaptation in outputs.
const adaptMethod = "unsupervised threshold shift (lexicon-estimated positive share of the batch, margin quantile, band 0.05), then self-training on the batch's confident comments when ≥ 2% of its n-grams are unknown to the model"

// LangAdaptation is the adaptation of one language's comments.
type LangAdaptation struct {
	Lang     string `json:"lang"` // zh or en
	Comments int    `json:"comments"`
	Used     bool   `json:"used"`
	// Note says why the threshold did or did not move.
	Note string `json:"note"`
	// Clear counts the comments with clear lexicon polarity.
	Clear int `json:"lexicon_clear"`
	// EstimatedPositive is the positive share estimated from the lexicon
	// (0 when not estimated).
	EstimatedPositive float64 `json:"estimated_positive_share"`
	// ModelPositive is the share the model labels positive unadapted.
	ModelPositive float64 `json:"model_positive_share"`
	// AdaptedPositive is the share labelled positive after adaptation.
	AdaptedPositive float64 `json:"adapted_positive_share"`
	// Threshold is the unadapted score from which a comment is labelled
	// positive: 0.5 without adaptation.
	Threshold float64 `json:"threshold"`
	// Unknown is the share of the batch's distinct n-grams per comment
	// that have no weight in the model.
	Unknown float64 `json:"unknown_ngram_share"`
	// SelfTrained is true when the comments were re-ranked with what the
	// batch itself teaches (see selfTrain).
	SelfTrained bool `json:"self_trained"`
}

// Batch holds the scores of a batch of texts, adapted or not. Predict
// returns the prediction of one text of the batch.
type Batch struct {
	m     *Model
	texts []string
	lang  []lang
	z     []float64 // margins
	shift [2]float64
	ad    Adaptation
	feats [][]uint32 // with adaptation: each text's distinct features
	// aspects are the texts' aspects when found while scoring (PredictBatch).
	aspects [][]Aspect
}

// ScoreBatch scores texts together. With adapt, the decision threshold of
// each language is re-estimated from the batch (see Adaptation); without,
// every text gets exactly the label and score Predict gives it.
func (m *Model) ScoreBatch(texts []string, adapt bool) *Batch {
	return m.scoreBatch(texts, adapt, false)
}

// scoreBatch is ScoreBatch; withAspects also finds each text's aspects
// (which do not depend on the adaptation) while its reading is at hand.
func (m *Model) scoreBatch(texts []string, adapt, withAspects bool) *Batch {
	b := &Batch{m: m, texts: texts, lang: make([]lang, len(texts)), z: make([]float64, len(texts))}
	if withAspects {
		b.aspects = make([][]Aspect, len(texts))
	}
	if adapt {
		b.feats = make([][]uint32, len(texts))
	}
	type counts struct{ clearPos, clearNeg, count, modelPos, feats, unknown [2]int }
	parts := make([]counts, (len(texts)+batchChunk-1)/batchChunk)
	parallel(len(texts), func(lo, hi int) {
		sc := m.pool.Get().(*scratch)
		defer m.pool.Put(sc)
		c := &parts[lo/batchChunk]
		var arena []uint32 // the chunk's distinct features, back to back
		for i := lo; i < hi; i++ {
			t := texts[i]
			l := detectLang(t)
			lm := m.lang(l)
			d := sc.extract(m.lx, l, t, lm.mask())
			z := lm.margin(sc.feats, d)
			b.lang[i], b.z[i] = l, z
			c.count[l]++
			if z >= 0 {
				c.modelPos[l]++
			}
			switch {
			case d[2] >= lexClear:
				c.clearPos[l]++
			case d[2] <= -lexClear:
				c.clearNeg[l]++
			}
			if adapt {
				fs := sc.distinct(&arena)
				b.feats[i] = fs
				c.feats[l] += len(fs)
				for _, f := range fs {
					if lm.w[f] == 0 {
						c.unknown[l]++
					}
				}
			}
			if withAspects {
				b.aspects[i] = m.aspects(sc, l, t, true)
			}
		}
	})
	var clearPos, clearNeg, count, modelPos, nFeats, unknown [2]int
	for _, c := range parts {
		for l := range 2 {
			nFeats[l] += c.feats[l]
			unknown[l] += c.unknown[l]
			clearPos[l] += c.clearPos[l]
			clearNeg[l] += c.clearNeg[l]
			count[l] += c.count[l]
			modelPos[l] += c.modelPos[l]
		}
	}
	b.ad = Adaptation{Requested: adapt, Method: adaptMethod}
	for _, l := range []lang{langZh, langEn} {
		if count[l] == 0 {
			continue
		}
		la := LangAdaptation{Lang: langName(l), Comments: count[l], Clear: clearPos[l] + clearNeg[l], Threshold: 0.5,
			ModelPositive: float64(modelPos[l]) / float64(count[l])}
		la.AdaptedPositive = la.ModelPositive
		if adapt {
			b.adapt(l, &la, clearPos[l], clearNeg[l])
			la.Unknown = float64(unknown[l]) / float64(max(1, nFeats[l]))
			b.selfTrain(l, &la)
		} else {
			la.Note = "adaptation not requested"
		}
		b.ad.Used = b.ad.Used || la.Used
		b.ad.Languages = append(b.ad.Languages, la)
	}
	return b
}

// distinct appends the distinct features of sc.feats to *arena, in
// order of first occurrence, and returns them as a slice of it.
func (sc *scratch) distinct(arena *[]uint32) []uint32 {
	size := 64
	for size < 2*len(sc.feats) {
		size *= 2
	}
	if len(sc.set) < size {
		sc.set = make([][2]uint32, size)
		sc.stamp = 0
	}
	sc.stamp++
	if sc.stamp == 0 { // wrapped: forget every stamp
		clear(sc.set)
		sc.stamp = 1
	}
	if cap(*arena)-len(*arena) < len(sc.feats) {
		*arena = make([]uint32, 0, max(64<<10, 2*len(sc.feats)))
	}
	start := len(*arena)
	set, mask := sc.set[:size], uint32(size-1)
	for _, f := range sc.feats {
		for k := (f * 0x9E3779B1) >> 7 & mask; ; k = (k + 1) & mask {
			if set[k][0] != sc.stamp {
				set[k] = [2]uint32{sc.stamp, f}
				*arena = append(*arena, f)
				break
			}
			if set[k][1] == f {
				break
			}
		}
	}
	return (*arena)[start:len(*arena):len(*arena)]
}

// adapt decides the threshold shift of language l.
func (b *Batch) adapt(l lang, la *LangAdaptation, nPos, nNeg int) {
	lm := b.m.lang(l)
	switch {
	case !lm.rates.known():
		la.Note = "the model file has no lexicon rates"
		return
	case la.Comments < adaptMinComments:
		la.Note = fmt.Sprintf("fewer than %d comments", adaptMinComments)
		return
	case la.Clear < adaptMinClear:
		la.Note = fmt.Sprintf("fewer than %d comments with clear lexicon polarity", adaptMinClear)
		return
	}
	est := lm.rates.estimatePositive(nPos, nNeg)
	la.EstimatedPositive = est
	if math.Abs(la.ModelPositive-est) <= adaptBand {
		la.Note = "the model's positive share agrees with the estimate"
		return
	}
	target := est + adaptBand
	if la.ModelPositive < est {
		target = est - adaptBand
	}
	zs := make([]float64, 0, la.Comments)
	for i, z := range b.z {
		if b.lang[i] == l {
			zs = append(zs, z)
		}
	}
	slices.SortFunc(zs, func(x, y float64) int { return -compareFloat(x, y) })
	k := min(len(zs), max(1, int(math.Round(target*float64(len(zs))))))
	t := zs[k-1]
	if k < len(zs) {
		t = (zs[k-1] + zs[k]) / 2
	}
	b.shift[l] = t
	pos := 0
	for _, z := range zs {
		if z-t >= 0 {
			pos++
		}
	}
	la.Used = true
	la.Note = "threshold moved towards the estimated positive share"
	la.AdaptedPositive = float64(pos) / float64(len(zs))
	la.Threshold = lm.prob(t)
}

func compareFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Len is the number of texts in the batch.
func (b *Batch) Len() int { return len(b.z) }

// Adaptation reports how the batch was adapted.
func (b *Batch) Adaptation() Adaptation { return b.ad }

// Score returns the (adapted) probability that text i is positive.
func (b *Batch) Score(i int) float64 {
	l := b.lang[i]
	return b.m.lang(l).prob(b.z[i] - b.shift[l])
}

// Predict returns the (adapted) prediction of text i, with its aspects.
func (b *Batch) Predict(i int) Prediction {
	var as []Aspect
	if b.aspects != nil {
		as = b.aspects[i]
	} else {
		sc := b.m.pool.Get().(*scratch)
		as = b.m.aspects(sc, b.lang[i], b.texts[i], false)
		b.m.pool.Put(sc)
	}
	p := Prediction{Score: b.Score(i), Aspects: as}
	if p.Score >= 0.5 {
		p.Label = 1
	}
	return p
}

// PredictBatch scores texts together and returns their predictions in
// order, adapted to the batch when adapt is set (see ScoreBatch).
func (m *Model) PredictBatch(texts []string, adapt bool) ([]Prediction, Adaptation) {
	b := m.scoreBatch(texts, adapt, true)
	out := make([]Prediction, len(texts))
	parallel(len(texts), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = b.Predict(i)
		}
	})
	return out, b.ad
}

// batchChunk is how many texts one worker of a batch scores at a time.
const batchChunk = 1024

// parallel calls f on consecutive chunks [lo, hi) of [0, n), each chunk
// starting at a multiple of batchChunk, on up to GOMAXPROCS goroutines.
// Every index is computed the same way whatever the split, so results do
// not depend on the number of cores.
func parallel(n int, f func(lo, hi int)) {
	chunks := (n + batchChunk - 1) / batchChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers <= 1 {
		for lo := 0; lo < n; lo += batchChunk {
			f(lo, min(n, lo+batchChunk))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				lo := c * batchChunk
				f(lo, min(n, lo+batchChunk))
			}
		})
	}
	wg.Wait()
}
