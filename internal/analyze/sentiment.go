package analyze

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/aftercare/aftercare/internal/text/sentiment"
)

// progressAfter is how long a run must take before progress is shown.
const progressAfter = 2 * time.Second

// predictor scores a batch of texts, adapting the decision threshold to
// the batch when asked; *sentiment.Model is one.
type predictor interface {
	PredictBatch(texts []string, adapt bool) ([]sentiment.Prediction, sentiment.Adaptation)
}

// loadModel loads the embedded sentiment model.
func loadModel() (predictor, error) {
	m, err := sentiment.Load()
	if err != nil {
		return nil, fmt.Errorf("sentiment: %w", err)
	}
	return m, nil
}

func runSentiment(c *cmdIO, args []string) error {
	return runSentimentWith(c, args, loadModel)
}

// runSentimentWith runs "analyze sentiment" with the model load returns;
// tests pass a stand-in.
func runSentimentWith(c *cmdIO, args []string, load func() (predictor, error)) error {
	fs := c.newFlags("sentiment", "--input FILE [--text-column NAME] [--json] [--adapt=false]", `
Sentiment (label 1 positive, 0 negative; score = probability of positive)
and service aspects of comments in Chinese or English, one prediction per
text in input order. Without --text-column the input has one text per line;
lines that are empty after trimming spaces are skipped (they get no
prediction). With --text-column the input is CSV with a header row (TSV when
the header line contains a tab; quoted cells may span lines) and every data
row gets a prediction, even an empty one. On a terminal, progress of long
runs is shown on stderr.

The comments are scored as one batch. With --adapt (the default) each
language's comments are adapted to the batch, without labels: the sentiment
lexicon estimates the share of positive comments, and when the model's share
is more than 5 points from it the threshold moves towards it; then, when the
batch has 500 comments or more and words the model does not know, the
comments the model is surest of teach it the batch's words (self-training)
and all are re-ranked. This corrects the model on kinds of comments it was
not trained on; a batch that looks like the training data is left as it is.
The output says whether and how adaptation was used; --adapt=false scores
every comment exactly as on its own.`)
	input := fs.String("input", "", "input `file` (\"-\" reads stdin)")
	column := fs.String("text-column", "", "CSV `column` holding the text (default: plain text, one per line)")
	encoding := fs.String("encoding", "utf-8", "input encoding: utf-8 or gbk")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	adapt := fs.Bool("adapt", true, "adapt to the batch: threshold shift, and self-training on batches of 500+ with unknown words (unsupervised; reported in the output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := require(fs, "input"); err != nil {
		return err
	}
	rc, err := openInput(*input, c.stdin)
	if err != nil {
		return err
	}
	defer rc.Close()
	name := *input
	if name == "-" {
		name = "stdin"
	}
	var next func() (string, error)
	if *column != "" {
		s, err := newCSVStream(rc, name, *encoding)
		if err != nil {
			return err
		}
		j, err := s.column(*column)
		if err != nil {
			return err
		}
		next = func() (string, error) {
			rec, _, err := s.next()
			if err != nil {
				return "", err
			}
			if j < len(rec) {
				return rec[j], nil
			}
			return "", nil
		}
	} else {
		br, err := decode(rc, *encoding)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		next = lineReader(br)
	}
	m, err := load()
	if err != nil {
		return err
	}
	return predictAll(c, m, next, *asJSON, *adapt)
}

// lineReader returns the non-blank lines of r one at a time.
func lineReader(r io.Reader) func() (string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	return func() (string, error) {
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				return line, nil
			}
		}
		if err := sc.Err(); err != nil {
			return "", fmt.Errorf("read input: %w", err)
		}
		return "", io.EOF
	}
}

// progress writes a count to a terminal once a run has lasted a while.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && term.IsTerminal(int(f.Fd())), start: time.Now()}
}

func (p *progress) tick(n int) {
	if !p.on || n%100 != 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < progressAfter || now.Sub(p.last) < 500*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\rsentiment: %d texts scored…", n)
}

func (p *progress) done(n int) {
	if p.shown {
		fmt.Fprintf(p.w, "\rsentiment: %d texts scored.   \n", n)
	}
}

// predictAll reads every text from next, scores them as one batch and
// writes the results in input order.
func predictAll(c *cmdIO, m predictor, next func() (string, error), asJSON, adapt bool) error {
	var texts []string
	for {
		if err := c.ctx.Err(); err != nil {
			return fmt.Errorf("sentiment: %w", err)
		}
		text, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		texts = append(texts, text)
	}
	preds, ad := m.PredictBatch(texts, adapt)
	w := bufio.NewWriter(c.stdout)
	prog := newProgress(c.stderr)
	if asJSON {
		b, err := json.Marshal(ad)
		if err != nil {
			return fmt.Errorf("encode JSON: %w", err)
		}
		w.WriteString("{\"adaptation\": ")
		w.Write(b)
		w.WriteString(",\n\"predictions\": [")
	} else {
		writeAdaptation(w, ad)
		fmt.Fprintf(w, "%-5s  %-6s  %-30s  %s\n", "label", "score", "aspects", "text")
	}
	for n, p := range preds {
		if p.Aspects == nil {
			p.Aspects = []sentiment.Aspect{}
		}
		if asJSON {
			b, err := json.Marshal(p)
			if err != nil {
				return fmt.Errorf("encode JSON: %w", err)
			}
			if n > 0 {
				w.WriteByte(',')
			}
			w.WriteString("\n  ")
			w.Write(b)
		} else {
			fmt.Fprintf(w, "%-5d  %.4f  %-30s  %s\n", p.Label, p.Score, aspectSummary(p.Aspects), snippet(texts[n], 60))
		}
		prog.tick(n + 1)
	}
	if asJSON {
		if len(preds) > 0 {
			w.WriteString("\n")
		}
		w.WriteString("]}\n")
	} else {
		fmt.Fprintf(w, "\n%d texts\n", len(preds))
	}
	prog.done(len(preds))
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// writeAdaptation says, above the table, whether and how the batch was
// adapted.
func writeAdaptation(w io.Writer, ad sentiment.Adaptation) {
	switch {
	case !ad.Requested:
		fmt.Fprintln(w, "adaptation: off (--adapt=false); every comment scored on its own")
	case ad.Used:
		fmt.Fprintln(w, "adaptation: used —", ad.Method)
	default:
		fmt.Fprintln(w, "adaptation: requested, threshold unchanged —", ad.Method)
	}
	for _, la := range ad.Languages {
		if !ad.Requested {
			break
		}
		fmt.Fprintf(w, "  %s: %d comments, %s; model positive share %.3f", la.Lang, la.Comments, la.Note, la.ModelPositive)
		if la.EstimatedPositive > 0 {
			fmt.Fprintf(w, ", estimated %.3f", la.EstimatedPositive)
		}
		if la.Used {
			fmt.Fprintf(w, ", adapted %.3f (threshold %.3f instead of 0.5)", la.AdaptedPositive, la.Threshold)
		}
		fmt.Fprintf(w, "; unknown n-grams %.1f%%", 100*la.Unknown)
		if la.SelfTrained {
			fmt.Fprint(w, ", self-trained")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// aspectSummary lists aspects as name+ / name- / name0.
func aspectSummary(as []sentiment.Aspect) string {
	parts := make([]string, len(as))
	for i, a := range as {
		sign := "0"
		switch {
		case a.Polarity > 0:
			sign = "+"
		case a.Polarity < 0:
			sign = "-"
		}
		parts[i] = a.Name + sign
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ",")
}

// snippet shortens text to at most n runes on one line.
func snippet(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)
	return string(r[:n-1]) + "…"
}
