package analyze

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/text/sentiment"
)

// fakeModel labels a text positive when it contains "good" or "好" and
// records what it was asked.
type fakeModel struct {
	seen  []string
	adapt []bool // the adapt argument of each PredictBatch call
}

func (f *fakeModel) PredictBatch(texts []string, adapt bool) ([]sentiment.Prediction, sentiment.Adaptation) {
	f.adapt = append(f.adapt, adapt)
	out := make([]sentiment.Prediction, len(texts))
	for i, t := range texts {
		out[i] = f.predict(t)
	}
	ad := sentiment.Adaptation{Requested: adapt, Used: adapt, Method: "test"}
	if adapt {
		ad.Languages = []sentiment.LangAdaptation{{Lang: "zh", Comments: len(texts), Used: true, Note: "moved", EstimatedPositive: 0.7, ModelPositive: 0.5, AdaptedPositive: 0.65, Threshold: 0.42}}
	}
	return out, ad
}

func (f *fakeModel) predict(text string) sentiment.Prediction {
	f.seen = append(f.seen, text)
	if strings.Contains(text, "good") || strings.Contains(text, "好") {
		return sentiment.Prediction{Label: 1, Score: 0.9, Aspects: []sentiment.Aspect{{Name: "attitude", Polarity: 1, Term: "good"}}}
	}
	return sentiment.Prediction{Label: 0, Score: 0.2}
}

type sentimentJSON struct {
	Predictions []struct {
		Label   *int              `json:"label"`
		Score   *float64          `json:"score"`
		Aspects []json.RawMessage `json:"aspects"`
	} `json:"predictions"`
}

func TestSentimentInputs(t *testing.T) {
	tests := []struct {
		name, content string
		args          []string
		want          []string
	}{
		{"lines", "good service\n\n   \nslow 慢\r\n服务好\n", nil, []string{"good service", "slow 慢", "服务好"}},
		{"lines GBK", gbk(t, "很好\n\n太慢了\n"), []string{"--encoding", "gbk"}, []string{"很好", "太慢了"}},
		{"csv", "id,comment\n1,\"good,\nreally\"\n2,\n3,bad\n", []string{"--text-column", "comment"}, []string{"good,\nreally", "", "bad"}},
		{"tsv", "id\tcomment\n1\tsay \"good\"\n2\tbad\n", []string{"--text-column", "comment"}, []string{`say "good"`, "bad"}},
		{"empty", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFixture(t, "in.txt", tt.content)
			for _, asJSON := range []bool{true, false} {
				fake := &fakeModel{}
				var out, errOut bytes.Buffer
				c := &cmdIO{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
				args := append([]string{"--input", p}, tt.args...)
				if asJSON {
					args = append(args, "--json")
				}
				if err := runSentimentWith(c, args, func() (predictor, error) { return fake, nil }); err != nil {
					t.Fatalf("got %v\n%s", err, errOut.String())
				}
				if strings.Join(fake.seen, "|") != strings.Join(tt.want, "|") {
					t.Errorf("got texts %q, want %q", fake.seen, tt.want)
				}
				if errOut.Len() != 0 {
					t.Errorf("got stderr %q, want nothing (not a terminal)", errOut.String())
				}
				if !asJSON {
					continue
				}
				var got sentimentJSON
				if err := json.Unmarshal(out.Bytes(), &got); err != nil {
					t.Fatalf("decode: %v\n%s", err, out.String())
				}
				if len(got.Predictions) != len(tt.want) {
					t.Fatalf("got %d predictions, want %d", len(got.Predictions), len(tt.want))
				}
				for i, p := range got.Predictions {
					if p.Label == nil || p.Score == nil || p.Aspects == nil {
						t.Errorf("prediction %d lacks label, score or aspects: %+v", i, p)
					}
					wantLabel := 0
					if strings.Contains(tt.want[i], "good") || strings.Contains(tt.want[i], "好") {
						wantLabel = 1
					}
					if p.Label != nil && *p.Label != wantLabel {
						t.Errorf("prediction %d: got label %d, want %d (input order)", i, *p.Label, wantLabel)
					}
				}
			}
		})
	}
	t.Run("missing column", func(t *testing.T) {
		p := writeFixture(t, "in.csv", "id,text\n1,x\n")
		_, _, err := runCmd(t, "sentiment", "--input", p, "--text-column", "comment")
		if err == nil || !strings.Contains(err.Error(), `no column "comment"`) {
			t.Errorf("got %v, want a missing-column error", err)
		}
	})
}

func TestSentimentModel(t *testing.T) {
	// The model is embedded in the binary (internal/text/sentiment/model.bin,
	// committed), not a data set: a model that does not load is a failure,
	// never a reason to skip, whatever AFTERCARE_REQUIRE says.
	if _, err := sentiment.Load(); err != nil {
		t.Fatalf("sentiment.Load: %v", err)
	}
	p := writeFixture(t, "in.txt", "服务态度很好，师傅很专业\n\n太慢了，等了三天都没人来修\n")
	var got sentimentJSON
	runJSON(t, &got, "sentiment", "--input", p)
	if len(got.Predictions) != 2 {
		t.Fatalf("got %d predictions, want 2", len(got.Predictions))
	}
	if l := got.Predictions[0].Label; l == nil || *l != 1 {
		t.Errorf("got label %v for a positive comment, want 1", l)
	}
	if l := got.Predictions[1].Label; l == nil || *l != 0 {
		t.Errorf("got label %v for a negative comment, want 0", l)
	}
}

// TestSentimentAdaptationOutput: the command asks for adaptation unless
// --adapt=false and reports it in JSON and above the table.
func TestSentimentAdaptationOutput(t *testing.T) {
	p := writeFixture(t, "in.csv", "id,review\n1,good\n2,bad\n")
	for _, c := range []struct {
		args  []string
		adapt bool
	}{{nil, true}, {[]string{"--adapt=false"}, false}} {
		for _, asJSON := range []bool{true, false} {
			fake := &fakeModel{}
			var out, errOut bytes.Buffer
			cio := &cmdIO{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
			args := append([]string{"--input", p, "--text-column", "review"}, c.args...)
			if asJSON {
				args = append(args, "--json")
			}
			if err := runSentimentWith(cio, args, func() (predictor, error) { return fake, nil }); err != nil {
				t.Fatal(err)
			}
			if len(fake.adapt) != 1 || fake.adapt[0] != c.adapt {
				t.Errorf("%v: PredictBatch called with adapt %v, want [%v]", args, fake.adapt, c.adapt)
			}
			if !asJSON {
				want := "adaptation: off"
				if c.adapt {
					want = "adaptation: used — test\n  zh: 2 comments, moved; model positive share 0.500, estimated 0.700, adapted 0.650 (threshold 0.420 instead of 0.5); unknown n-grams 0.0%"
				}
				if !strings.HasPrefix(out.String(), want) {
					t.Errorf("%v: table starts %q, want %q", args, out.String(), want)
				}
				continue
			}
			var got struct {
				Adaptation sentiment.Adaptation `json:"adaptation"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Adaptation.Requested != c.adapt || got.Adaptation.Used != c.adapt || (c.adapt && got.Adaptation.Languages[0].Threshold != 0.42) {
				t.Errorf("%v: adaptation %+v", args, got.Adaptation)
			}
		}
	}
}

// TestSentimentModelAdaptOff: with the real model and --adapt=false every
// comment gets what the single-comment path gives it; by default the
// adaptation is requested and reported.
func TestSentimentModelAdaptOff(t *testing.T) {
	m, err := sentiment.Load()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"服务态度很好，师傅很专业", "太慢了，等了三天都没人来修", "房间有点小，但服务很周到", "Great food, slow service.", "Never again."}
	p := writeFixture(t, "in.txt", strings.Join(texts, "\n"))
	type out struct {
		Adaptation  sentiment.Adaptation   `json:"adaptation"`
		Predictions []sentiment.Prediction `json:"predictions"`
	}
	var on, off out
	runJSON(t, &on, "sentiment", "--input", p)
	runJSON(t, &off, "sentiment", "--input", p, "--adapt=false")
	if !on.Adaptation.Requested || off.Adaptation.Requested || off.Adaptation.Used {
		t.Errorf("adaptation default %+v, with --adapt=false %+v", on.Adaptation, off.Adaptation)
	}
	for i, text := range texts {
		if want := m.Predict(text); off.Predictions[i].Label != want.Label || off.Predictions[i].Score != want.Score {
			t.Errorf("--adapt=false: %q scored %+v, Predict gives %+v", text, off.Predictions[i], want)
		}
	}
}
