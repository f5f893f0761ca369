package sentiment

import (
	"math"
	"reflect"
	"testing"
)

// batchTexts is a mixed batch: the test cases of this package and, when
// the data sets are there, a sample of their rows.
func batchTexts() []string {
	var texts []string
	for _, c := range oodComments {
		texts = append(texts, c.text)
	}
	texts = append(texts, "", "   ", "👍", "价格贵，但是质量很好", "not bad", "10/10", "I gave it a 3 out of 10.")
	return texts
}

// TestBatchUnadaptedEqualsPredict: without adaptation the batch path gives
// every text exactly the prediction the single-comment path (used by the
// survey screens) gives it.
func TestBatchUnadaptedEqualsPredict(t *testing.T) {
	m := mustModel(t)
	texts := batchTexts()
	dir := dataDir(t)
	zh, err := LoadChinese(dir)
	if err != nil {
		t.Fatal(err)
	}
	en, err := LoadEnglish(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range append(sample(zh, 1500), sample(en, 500)...) {
		texts = append(texts, ex.Text)
	}
	preds, ad := m.PredictBatch(texts, false)
	if ad.Used || ad.Requested {
		t.Errorf("PredictBatch(adapt=false): adaptation %+v, want not requested and not used", ad)
	}
	for i, text := range texts {
		if want := m.Predict(text); !reflect.DeepEqual(preds[i], want) {
			t.Fatalf("PredictBatch(adapt=false)[%d] = %+v, Predict(%q) = %+v", i, preds[i], text, want)
		}
	}
}

// TestAdaptLeavesTrainingLikeBatches: a batch drawn from the training
// domains (the held-out rows of each data set) reads to the lexicon as
// the model reads it, so adaptation changes nothing.
func TestAdaptLeavesTrainingLikeBatches(t *testing.T) {
	m := mustModel(t)
	dir := dataDir(t)
	zh, err := LoadChinese(dir)
	if err != nil {
		t.Fatal(err)
	}
	en, err := LoadEnglish(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, sets := bySet(append(zh, en...))
	for _, name := range []string{"shopping", "waimai", "amazon", "imdb"} {
		_, test := split(sets[name])
		if raceEnabled || testing.Short() {
			test = sample(test, 600)
		}
		texts := make([]string, len(test))
		for i, ex := range test {
			texts[i] = ex.Text
		}
		adapted, ad := m.PredictBatch(texts, true)
		if !ad.Requested || ad.Used || len(ad.Languages) == 0 {
			t.Errorf("%s: adaptation %+v, want requested and not used", name, ad)
		}
		for _, la := range ad.Languages {
			t.Logf("%s: %+v", name, la)
		}
		for i, text := range texts {
			if p := m.Predict(text); p.Label != adapted[i].Label || p.Score != adapted[i].Score {
				t.Fatalf("%s: adapted batch changed %q from %+v to %+v", name, text, p, adapted[i])
			}
		}
	}
}

// TestEstimatePositive checks the lexicon estimate inverts the mixture it
// models: with the rates of the training data, the clear counts of a batch
// with positive share π give back π.
func TestEstimatePositive(t *testing.T) {
	r := lexRates{pos1: 0.77, pos0: 0.07, neg1: 0.03, neg0: 0.59}
	for _, pi := range []float64{0.1, 0.33, 0.5, 0.69, 0.9} {
		n := 100000.0
		nPos := n * (pi*float64(r.pos1) + (1-pi)*float64(r.pos0))
		nNeg := n * (pi*float64(r.neg1) + (1-pi)*float64(r.neg0))
		if got := r.estimatePositive(int(math.Round(nPos)), int(math.Round(nNeg))); math.Abs(got-pi) > 0.002 {
			t.Errorf("estimatePositive at π=%.2f = %.4f", pi, got)
		}
	}
	if !r.known() || (lexRates{}).known() {
		t.Errorf("known() wrong")
	}
}

// TestAdaptMovesThreshold builds a batch whose margins put 40 % of the
// comments above zero while the lexicon says 70 % are positive: the
// threshold moves until 65 % (the estimate less the band) are positive,
// deterministically, and labels stay consistent with scores.
func TestAdaptMovesThreshold(t *testing.T) {
	m := mustModel(t)
	n := 1000
	b := &Batch{m: m, texts: make([]string, n), lang: make([]lang, n), z: make([]float64, n)}
	for i := range n {
		b.lang[i] = langZh
		b.z[i] = -0.6 + float64(i)/float64(n) // 40 % ≥ 0
	}
	r := m.zh.rates
	pi := 0.7
	nPos := int(math.Round(float64(n) * (pi*float64(r.pos1) + (1-pi)*float64(r.pos0))))
	nNeg := int(math.Round(float64(n) * (pi*float64(r.neg1) + (1-pi)*float64(r.neg0))))
	la := LangAdaptation{Comments: n, Clear: nPos + nNeg, ModelPositive: 0.4}
	b.adapt(langZh, &la, nPos, nNeg)
	if !la.Used || math.Abs(la.EstimatedPositive-0.7) > 0.01 {
		t.Fatalf("adapt: %+v, want used with estimate 0.70", la)
	}
	if math.Abs(la.AdaptedPositive-0.65) > 0.002 || la.Threshold >= 0.5 {
		t.Errorf("adapt: adapted share %.3f threshold %.3f, want 0.65 below 0.5", la.AdaptedPositive, la.Threshold)
	}
	pos := 0
	for i := range n {
		if b.Predict(i).Label == 1 {
			pos++
		}
		if s := b.Score(i); (s >= 0.5) != (b.z[i]-b.shift[langZh] >= 0) {
			t.Fatalf("text %d: score %.4f inconsistent with margin", i, s)
		}
	}
	if pos != 650 {
		t.Errorf("%d labelled positive after adaptation, want 650", pos)
	}
	// Small batches and unclear ones are left alone.
	for _, c := range []struct{ n, clear int }{{adaptMinComments - 1, 40}, {200, adaptMinClear - 1}} {
		la := LangAdaptation{Comments: c.n, Clear: c.clear, ModelPositive: 0.4}
		b2 := &Batch{m: m, z: b.z[:c.n], lang: b.lang[:c.n]}
		b2.adapt(langZh, &la, c.clear, 0)
		if la.Used || b2.shift[langZh] != 0 {
			t.Errorf("adapt with %d comments, %d clear: used %+v", c.n, c.clear, la)
		}
	}
}

// TestPredictBatchOrderAndLanguages: one prediction per text in order,
// both languages accounted for, a small batch left alone, and the same
// batch always scored the same.
func TestPredictBatchOrderAndLanguages(t *testing.T) {
	m := mustModel(t)
	texts := batchTexts()
	preds, ad := m.PredictBatch(texts, true)
	if len(preds) != len(texts) {
		t.Fatalf("PredictBatch returned %d predictions for %d texts", len(preds), len(texts))
	}
	langs := map[string]int{}
	for _, la := range ad.Languages {
		langs[la.Lang] = la.Comments
		if la.Used {
			t.Errorf("a batch of %d %s comments was adapted: %+v", la.Comments, la.Lang, la)
		}
	}
	if langs["zh"]+langs["en"] != len(texts) || langs["zh"] == 0 || langs["en"] == 0 {
		t.Errorf("languages %v, want both, summing to %d", langs, len(texts))
	}
	again, _ := m.PredictBatch(texts, true)
	if !reflect.DeepEqual(preds, again) {
		t.Errorf("PredictBatch is not deterministic")
	}
}

// TestSelfTrainLeftOutDomain: a model trained without the book reviews
// reads them better when the whole set is scored as an adapted batch
// (self-training learns the domain's words from the batch), keeps the
// positive count the threshold gave, and says it self-trained.
func TestSelfTrainLeftOutDomain(t *testing.T) {
	zh, err := LoadChinese(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	var train, test []Example
	for _, ex := range zh {
		if ex.Domain == "书籍" {
			test = append(test, ex)
		} else {
			train = append(train, ex)
		}
	}
	train = sample(train, 8000)
	lx := newLexicons()
	lin, rates, err := fitRates(t.Context(), lx, langZh, train, Options{Epochs: 4}.withDefaults(), "all but books")
	if err != nil {
		t.Fatal(err)
	}
	m := foldModel(langZh, lin, rates)
	plain, adapted := batchAccuracy(m, test)
	texts := make([]string, len(test))
	for i, ex := range test {
		texts[i] = ex.Text
	}
	b := m.ScoreBatch(texts, true)
	la := b.Adaptation().Languages[0]
	t.Logf("books left out: %.4f unadapted, %.4f adapted; %+v", plain, adapted, la)
	if !la.SelfTrained || la.Unknown < selfMinUnknown {
		t.Errorf("adaptation %+v, want self-training on a domain the model has not seen", la)
	}
	if adapted < plain+0.02 {
		t.Errorf("adapted accuracy %.4f, want at least 2 points above %.4f", adapted, plain)
	}
	pos := 0
	for i := range texts {
		if b.Score(i) >= 0.5 {
			pos++
		}
	}
	if got := float64(pos) / float64(len(texts)); math.Abs(got-la.AdaptedPositive) > 1.5/float64(len(texts)) {
		t.Errorf("self-training changed the positive share from %.4f to %.4f", la.AdaptedPositive, got)
	}
}

// BenchmarkSelfTrain scores the 3,851 book reviews as one adapted batch
// with a model trained without them, so that self-training runs.
func BenchmarkSelfTrain(b *testing.B) {
	zh, err := LoadChinese("../../../../shared/data")
	if err != nil {
		b.Skip("data sets not found")
	}
	var train []Example
	var texts []string
	for _, ex := range zh {
		if ex.Domain == "书籍" {
			texts = append(texts, ex.Text)
		} else {
			train = append(train, ex)
		}
	}
	lin, rates, err := fitRates(b.Context(), newLexicons(), langZh, sample(train, 8000), Options{Epochs: 4}.withDefaults(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	m := foldModel(langZh, lin, rates)
	b.ResetTimer()
	for b.Loop() {
		m.PredictBatch(texts, true)
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "comments/s")
}
