package sentiment

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	stdhash "hash"
	"math"
	"strings"
	"testing"
)

// goldenDigests are what the featuriser, Predict and the adapted batch
// path gave every text of goldenTexts before the speed work of issue 13
// (featurisation rewritten to not allocate and aspects scored from the
// comment's single pass): that work promised to change no label, score,
// aspect or feature, and these digests hold it to that, bit for bit.
const (
	goldenFeatures = "0fb534b54e8ceebd68ab743995aa6e8fff958565002ca61c585440c26b26c32a"
	goldenPredict  = "af8a13140c8cce0719eee14b346f98c87b2ff19ae18190a2b2234d579ba8739f"
	goldenBatch    = "88c87ee15b2739c3f106327950236d1ef9abe8a08c73a151e773f0049f81f7e9"
)

// longComments joins consecutive texts three at a time with a contrast
// or a comma, as long, mixed service reviews read ("…，但是…").
func longComments(texts []string) []string {
	joins := []string{"，但是", "。不过", "，", "; but ", ". Overall, ", " "}
	var out []string
	for i := 0; i+2 < len(texts); i += 3 {
		j := joins[i%len(joins)]
		out = append(out, texts[i]+j+texts[i+1]+joins[(i+1)%len(joins)]+texts[i+2])
	}
	return out
}

// goldenTexts are every row of the four data sets, the package's test
// comments, odd inputs and long comments built from the rows.
func goldenTexts(t *testing.T) []string {
	dir := dataDir(t)
	zh, err := LoadChinese(dir)
	if err != nil {
		t.Fatal(err)
	}
	en, err := LoadEnglish(dir)
	if err != nil {
		t.Fatal(err)
	}
	texts := batchTexts()
	texts = append(texts, "\xff\xfe\xfd", "😀😀😀", "n't n't '''", "ＡＢＣ　很好！", strings.Repeat("质量很好，但是物流太慢了。", 50),
		strings.Repeat("not ", 100), "但是", "but", "不但是好", "un", "unrecommended and unimpressive", "𠀀𠀀好𠀀", "快递很快，愉快")
	var rows []string
	for _, ex := range append(zh, en...) {
		rows = append(rows, ex.Text)
	}
	texts = append(texts, rows...)
	return append(texts, longComments(rows)...)
}

func putFloat(h stdhash.Hash, f float64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], math.Float64bits(f))
	h.Write(b[:])
}

func putPrediction(h stdhash.Hash, p Prediction) {
	h.Write([]byte{byte(p.Label)})
	putFloat(h, p.Score)
	for _, a := range p.Aspects {
		h.Write([]byte(a.Name + "\x00" + string(a.Dimension) + "\x00" + a.Term + "\x00"))
		h.Write([]byte{byte(a.Polarity + 1)})
	}
	h.Write([]byte{0xff})
}

// TestGoldenOutputs compares the featuriser, the single-comment path and
// the adapted batch path with the digests of their output before the
// speed work, on every row of the data sets and long comments built from
// them.
func TestGoldenOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("scores about 89,000 texts")
	}
	m := mustModel(t)
	texts := goldenTexts(t)
	hf, hp := sha256.New(), sha256.New()
	sc := new(scratch)
	var b4 [4]byte
	for _, text := range texts {
		l := detectLang(text)
		lm := m.lang(l)
		d := sc.extract(m.lx, l, text, lm.mask())
		for _, f := range sc.feats {
			binary.LittleEndian.PutUint32(b4[:], f)
			hf.Write(b4[:])
		}
		for _, v := range d {
			binary.LittleEndian.PutUint32(b4[:], math.Float32bits(v))
			hf.Write(b4[:])
		}
		hf.Write([]byte{byte(l), 0xff})
		putPrediction(hp, m.Predict(text))
	}
	hb := sha256.New()
	preds, ad := m.PredictBatch(texts, true)
	for _, p := range preds {
		putPrediction(hb, p)
	}
	for _, la := range ad.Languages {
		hb.Write([]byte(la.Lang + la.Note))
		putFloat(hb, la.Threshold)
		putFloat(hb, la.AdaptedPositive)
		putFloat(hb, la.Unknown)
	}
	for _, c := range []struct {
		name string
		h    stdhash.Hash
		want string
	}{{"features", hf, goldenFeatures}, {"Predict", hp, goldenPredict}, {"PredictBatch(adapt)", hb, goldenBatch}} {
		if got := hex.EncodeToString(c.h.Sum(nil)); got != c.want {
			t.Errorf("%s over %d texts: digest %s, want %s (before the speed work)", c.name, len(texts), got, c.want)
		}
	}
}
