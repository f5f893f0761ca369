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
type fakeModel struct{ seen []string }

func (f *fakeModel) Predict(text string) sentiment.Prediction {
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
