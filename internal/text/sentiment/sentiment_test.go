package sentiment

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// loadModel loads the embedded model once for all tests.
var loadModel = sync.OnceValues(Load)

func mustModel(tb testing.TB) *Model {
	tb.Helper()
	m, err := loadModel()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return m
}

// TestLoadEmbedded checks that the embedded model decodes; how long that
// takes is measured by BenchmarkLoad, not asserted here.
func TestLoadEmbedded(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(m.zh.w) == 0 || len(m.en.w) == 0 {
		t.Fatalf("Load: empty weights (zh %d, en %d)", len(m.zh.w), len(m.en.w))
	}
}

func TestPredict(t *testing.T) {
	m := mustModel(t)
	tests := []struct {
		text string
		want int
	}{
		{"很满意，师傅很专业", 1},
		{"质量很好，物流也快，推荐购买", 1},
		{"服务态度很差，等了三个小时也没人来", 0},
		{"太慢了，再也不会来了", 0},
		{"不太满意", 0},
		{"不是很满意，修了两次还是坏的", 0},
		{"没有问题", 1},
		{"不贵", 1},
		{"价格贵，但是质量很好", 1},
		{"房间很小，隔音差，不会再住了", 0},
		{"This is great, I love it", 1},
		{"The food was terrible", 0},
		{"not bad", 1},
		{"not good at all", 0},
		{"I would not recommend this place", 0},
		{"Service was quick and friendly.", 1},
		{"It broke after a week and support never answered.", 0},
		{"Don't waste your money.", 0},
		{"No problems so far, works fine.", 1},
		{"👍👍👍", 1},
		{"👎", 0},
		{"师傅来了 👍", 1},
	}
	for _, tt := range tests {
		p := m.Predict(tt.text)
		if p.Label != tt.want {
			t.Errorf("Predict(%q).Label = %d (score %.3f), want %d", tt.text, p.Label, p.Score, tt.want)
		}
		if p.Score < 0 || p.Score > 1 || (p.Score >= 0.5) != (p.Label == 1) {
			t.Errorf("Predict(%q): score %.3f inconsistent with label %d", tt.text, p.Score, p.Label)
		}
	}
}

func TestPredictEmpty(t *testing.T) {
	m := mustModel(t)
	for _, s := range []string{"", "   ", "。。。", "12345"} {
		p := m.Predict(s)
		if p.Score < 0.05 || p.Score > 0.95 {
			t.Errorf("Predict(%q).Score = %.3f, want an uncommitted score", s, p.Score)
		}
		if len(p.Aspects) != 0 {
			t.Errorf("Predict(%q).Aspects = %v, want none", s, p.Aspects)
		}
	}
}

func TestAspects(t *testing.T) {
	m := mustModel(t)
	tests := []struct {
		text string
		want []Aspect // Term is not compared
	}{
		{"价格不贵，师傅很耐心", []Aspect{{Name: "price", Dimension: model.DimPrice, Polarity: 1}, {Name: "attitude", Dimension: model.DimProcess, Polarity: 1}}},
		{"服务态度很差，等了三个小时", []Aspect{{Name: "attitude", Dimension: model.DimProcess, Polarity: -1}, {Name: "speed", Dimension: model.DimEfficiency, Polarity: -1}}},
		{"收费太贵了，不过修好了", []Aspect{{Name: "price", Dimension: model.DimPrice, Polarity: -1}, {Name: "quality", Dimension: model.DimTechnical, Polarity: 1}}},
		{"网点离家很近，很方便", []Aspect{{Name: "convenience", Dimension: model.DimNetwork, Polarity: 1}}},
		{"快递很快，包装完好", []Aspect{{Name: "speed", Dimension: model.DimEfficiency, Polarity: 1}, {Name: "delivery", Dimension: model.DimEfficiency, Polarity: 1}, {Name: "packaging", Dimension: model.DimTechnical, Polarity: 1}}},
		{"心情很愉快", nil},
		{"师傅态度不错，但是来得太晚了", []Aspect{{Name: "attitude", Dimension: model.DimProcess, Polarity: 1}, {Name: "speed", Dimension: model.DimEfficiency, Polarity: -1}}},
		{"维修点太远了，不方便", []Aspect{{Name: "convenience", Dimension: model.DimNetwork, Polarity: -1}}},
		{"The repair was quick but expensive.", []Aspect{{Name: "speed", Dimension: model.DimEfficiency, Polarity: 1}, {Name: "price", Dimension: model.DimPrice, Polarity: -1}}},
		{"The price was fair and the staff were friendly.", []Aspect{{Name: "price", Dimension: model.DimPrice, Polarity: 1}, {Name: "attitude", Dimension: model.DimProcess, Polarity: 1}}},
		{"Way too expensive. The technician was rude.", []Aspect{{Name: "price", Dimension: model.DimPrice, Polarity: -1}, {Name: "attitude", Dimension: model.DimProcess, Polarity: -1}}},
		{"We waited forever, and the repair process was a mess.", []Aspect{{Name: "speed", Dimension: model.DimEfficiency, Polarity: -1}, {Name: "process", Dimension: model.DimProcess, Polarity: -1}}},
		{"I drank coffee.", nil},
	}
	for _, tt := range tests {
		got := m.Predict(tt.text).Aspects
		for i := range got {
			if got[i].Term == "" || !strings.Contains(strings.ToLower(tt.text), got[i].Term) {
				t.Errorf("Predict(%q): aspect %s has term %q not in the text", tt.text, got[i].Name, got[i].Term)
			}
			got[i].Term = ""
		}
		if len(got) != len(tt.want) {
			t.Errorf("Predict(%q).Aspects = %v, want %v", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Predict(%q).Aspects[%d] = %+v, want %+v", tt.text, i, got[i], tt.want[i])
			}
		}
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct {
		text string
		want lang
	}{
		{"很好", langZh},
		{"iPhone 屏幕很好", langZh},
		{"great phone", langEn},
		{"", langEn},
		{"The 客服 was rude and slow to answer", langEn},
	}
	for _, tt := range tests {
		if got := detectLang(tt.text); got != tt.want {
			t.Errorf("detectLang(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestNormEn(t *testing.T) {
	lx := newLexicons()
	tests := []struct{ in, want string }{
		{"I don't like it", "i do not like it"},
		{"It's GREAT!!! Sooooo good", "its great soo good"},
		{"can't, won't, cannot, isnt", "can not will not can not is not"},
		{"’tis 10 bucks", "tis 00 bucks"},
		{"great👍👍 ok", "great 👍 👍 ok"},
	}
	var sc scratch
	for _, tt := range tests {
		sc.normEn(lx, tt.in)
		var toks []string
		for _, s := range sc.toks {
			toks = append(toks, string(sc.buf[s.s:s.e]))
		}
		if got := strings.Join(toks, " "); got != tt.want || string(sc.buf) != tt.want {
			t.Errorf("normEn(%q) = %q (buf %q), want %q", tt.in, got, sc.buf, tt.want)
		}
	}
}

func TestZhNegationScope(t *testing.T) {
	lx := newLexicons()
	var sc scratch
	tests := []struct {
		text    string
		wantPos bool // the lexicon balance leans positive
	}{
		{"满意", true},
		{"不太满意", false},
		{"没有问题", true},
		{"不贵", true},
		{"不好用", false},
		{"非常好", true},
		{"价格贵，但是质量很好", true},
	}
	for _, tt := range tests {
		d := sc.extract(lx, langZh, tt.text, 1<<16-1)
		if got := d[2] > 0; got != tt.wantPos {
			t.Errorf("extract(%q) lexicon balance %.2f, want positive %v", tt.text, d[2], tt.wantPos)
		}
	}
}

func TestModelRoundTrip(t *testing.T) {
	m := mustModel(t)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), embedded) {
		t.Logf("re-encoded model differs from the embedded bytes (gzip header); comparing predictions")
	}
	m2, err := Decode(&buf)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	for _, s := range []string{"很好", "太差了", "great", "awful service"} {
		if a, b := m.Score(s), m2.Score(s); a != b {
			t.Errorf("Score(%q) after round trip = %v, want %v", s, b, a)
		}
	}
	if _, err := Decode(strings.NewReader("not a model")); err == nil {
		t.Errorf("Decode(garbage) succeeded, want an error")
	}
}

func TestPredictConcurrent(t *testing.T) {
	m := mustModel(t)
	want := m.Score("服务很好")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				if got := m.Score("服务很好"); got != want {
					t.Errorf("concurrent Score = %v, want %v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestPredictAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	m := mustModel(t)
	text := "物流很快，东西也不错，就是价格有点贵"
	m.Score(text)
	if n := testing.AllocsPerRun(100, func() { m.Score(text) }); n > 0 {
		t.Errorf("Score allocates %.0f times per call, want 0", n)
	}
}

var benchZh = []string{
	"师傅上门很准时，态度也好，空调修好了，收费合理",
	"等了三天没人联系，客服一直推脱，太失望了",
	"东西不错，物流很快，包装也很好，下次还会买",
	"质量一般，用了一个月就坏了，售后处理很慢",
}

var benchEn = []string{
	"The technician arrived on time, was friendly and fixed the problem quickly.",
	"Waited two weeks for a repair and nobody ever called back. Terrible service.",
	"Good value for the money, works great.",
	"The price was too high and the staff were rude.",
}

// benchLongZh and benchLongEn are long, mixed service reviews (about
// 70 characters and 35 words), the kind the cross-domain work is for.
var benchLongZh = []string{
	"房间有点小，隔音也一般，晚上能听到走廊的声音，但是服务很周到，前台小姐姐很热情，办理入住很快，早餐种类也多，总的来说还不错，下次出差还会选择这里。",
	"空调坏了打电话报修，客服说第二天上门，结果等了三天都没人来，一直推脱说师傅忙，后来换了一个师傅，来了以后很专业，半小时就修好了，不过收费有点贵。",
	"手机用了一个月屏幕就出现了问题，拿去售后检测说是人为损坏不给保修，态度也很差，跟他们沟通了很久都没有结果，太失望了，以后再也不会买这个牌子了。",
	"外卖送得很快，包装也很严实，汤没有洒出来，味道和店里吃的差不多，分量很足，就是价格比别家稍微贵了一点，不过考虑到质量还是值得的，推荐给大家。",
}

var benchLongEn = []string{
	"The room was a bit small and the walls were thin, but the staff were wonderful, check-in took two minutes and breakfast had plenty of choice. Overall a good stay and I would come back.",
	"I called about the broken washer and was promised a visit the next day. Nobody came for three days and support kept making excuses. The second technician was great though and fixed it quickly.",
	"The screen failed after a month and the service centre refused the warranty, claiming physical damage. The staff were rude and never called back. I will not buy this brand again.",
	"Delivery was fast and the food arrived hot and well packed. Portions were generous and it tasted like the restaurant, though a little pricier than elsewhere. Still worth it, recommended.",
}

func benchPredict(b *testing.B, texts []string) {
	m := mustModel(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Predict(texts[i%len(texts)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

func BenchmarkPredictZh(b *testing.B) { benchPredict(b, benchZh) }

// benchBatch scores batches of 1,000 texts with adaptation, the path of
// "aftercare analyze sentiment" and of the feedback export.
func benchBatch(b *testing.B, texts []string) {
	m := mustModel(b)
	batch := make([]string, 1000)
	for i := range batch {
		batch[i] = texts[i%len(texts)]
	}
	b.ReportAllocs()
	for b.Loop() {
		m.PredictBatch(batch, true)
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "comments/s")
}

func BenchmarkPredictBatchZh(b *testing.B) { benchBatch(b, benchZh) }

func BenchmarkPredictBatchEn(b *testing.B) { benchBatch(b, benchEn) }

func BenchmarkPredictEn(b *testing.B) { benchPredict(b, benchEn) }

func BenchmarkPredictLongZh(b *testing.B) { benchPredict(b, benchLongZh) }

func BenchmarkPredictLongEn(b *testing.B) { benchPredict(b, benchLongEn) }

func BenchmarkPredictBatchLongZh(b *testing.B) { benchBatch(b, benchLongZh) }

func BenchmarkPredictBatchLongEn(b *testing.B) { benchBatch(b, benchLongEn) }

// BenchmarkLoad measures decoding the embedded model (the README's "loads
// in about 30 ms").
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPredictOddInput(t *testing.T) {
	m := mustModel(t)
	long := strings.Repeat("质量很好，但是物流太慢了。", 5000)
	for _, s := range []string{"\xff\xfe\xfd", "😀😀😀", "n't n't '''", "ＡＢＣ　很好！", long, strings.Repeat("not ", 1000), "但是", "but"} {
		p := m.Predict(s)
		if p.Score < 0 || p.Score > 1 || p.Score != p.Score {
			t.Errorf("Predict(%.20q).Score = %v, want a probability", s, p.Score)
		}
	}
}

func FuzzPredict(f *testing.F) {
	m := mustModel(f)
	for _, s := range []string{"很好", "not bad", "价格不贵，但是", "don't", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := m.Predict(s)
		if p.Score < 0 || p.Score > 1 || p.Score != p.Score {
			t.Errorf("Predict(%q).Score = %v, want a probability", s, p.Score)
		}
		for _, a := range p.Aspects {
			if a.Polarity < -1 || a.Polarity > 1 || a.Term == "" {
				t.Errorf("Predict(%q): bad aspect %+v", s, a)
			}
		}
	})
}
