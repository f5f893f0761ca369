package analyze

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/aftercare/aftercare/internal/evaluate"
)

// wideLimit is the half-width beyond which an interval makes a score
// unreliable (evaluation.md: grey out a score wider than ±10 points),
// as a fraction for CSAT and CES agree and in points for NPS.
const (
	wideLimitFraction = 0.10
	wideLimitPoints   = 10
)

// minReliableN is the smallest sample whose score is shown as reliable
// (evaluation.md: grey out n below 30 too — five identical answers give
// an interval of zero width, which is not precision).
const minReliableN = 30

// scoreOutput is the JSON of "analyze csat", "nps" and "ces".
type scoreOutput struct {
	Kind    string  `json:"kind"`
	Column  string  `json:"column"`
	N       int     `json:"n"`
	Dropped int     `json:"dropped"`
	Value   float64 `json:"value"`
	CILow   float64 `json:"ci_low"`
	CIHigh  float64 `json:"ci_high"`
	// Wide is set when the interval is wider than ±10 points (for CES: the
	// agree interval); SmallSample when n is below 30. Either makes the
	// figure Unreliable: shown greyed out, with the reason.
	Wide        bool `json:"wide"`
	SmallSample bool `json:"small_sample"`
	Unreliable  bool `json:"unreliable"`

	Satisfied   *int     `json:"satisfied,omitempty"`
	Promoters   *int     `json:"promoters,omitempty"`
	Passives    *int     `json:"passives,omitempty"`
	Detractors  *int     `json:"detractors,omitempty"`
	SE          *float64 `json:"se,omitempty"`
	SD          *float64 `json:"sd,omitempty"`
	Agree       *float64 `json:"agree,omitempty"`
	AgreeCILow  *float64 `json:"agree_ci_low,omitempty"`
	AgreeCIHigh *float64 `json:"agree_ci_high,omitempty"`
}

func runCSAT(c *cmdIO, args []string) error {
	return runScore(c, args, "csat", `
CSAT: the share of answers 4 or 5 on a 1–5 scale, as a fraction, with the
Wilson 95 % interval.`)
}

func runNPS(c *cmdIO, args []string) error {
	return runScore(c, args, "nps", `
NPS: 100 × (promoters 9–10 − detractors 0–6) / n on a 0–10 scale, in points,
with the 95 % interval NPS ± z·100·sqrt((p + d − (p − d)²)/n).`)
}

func runCES(c *cmdIO, args []string) error {
	return runScore(c, args, "ces", `
CES 2.0: the mean of 1–7 agreement answers with a 95 % z interval, and the
share who agree (5–7) with a Wilson interval. "value" is the mean.`)
}

func runScore(c *cmdIO, args []string, kind, about string) error {
	about = strings.TrimSpace(about) + `

Empty and NA cells are dropped and counted. n is always reported; an
interval wider than ±10 points (half-width > 0.10 as a fraction, > 10 NPS
points; for CES the agree interval) is flagged "wide": true, fewer than 30
answers "small_sample": true; either sets "unreliable": true and the
output says why the figure is unreliable.`
	fs := c.newFlags(kind, "--csv FILE --column COL [--json]", about)
	var in inputFlags
	in.register(fs, "csv")
	column := fs.String("column", "", "`column` holding the answers")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := require(fs, "csv", "column"); err != nil {
		return err
	}
	d, err := in.load(c, columns(*column))
	if err != nil {
		return err
	}
	out, err := computeScore(d, kind, *column)
	if err != nil {
		return err
	}
	if in.json {
		return writeJSON(c.stdout, out)
	}
	return writeScoreText(c.stdout, out)
}

// computeScore computes one single-question score of column.
func computeScore(d *dataset, kind, column string) (*scoreOutput, error) {
	cc, err := d.numeric([]string{column})
	if err != nil {
		return nil, err
	}
	xs := cc.cols[0]
	if err := checkScale(d, kind, column, cc); err != nil {
		return nil, err
	}
	out := &scoreOutput{Kind: kind, Column: column, Dropped: cc.dropped}
	switch kind {
	case "csat":
		r, err := evaluate.CSAT(xs)
		if err != nil {
			return nil, prefixed("csat", err)
		}
		out.N, out.Value, out.CILow, out.CIHigh = r.N, r.Value, r.CI.Low, r.CI.High
		out.Satisfied = &r.Satisfied
		out.Wide = (r.CI.High-r.CI.Low)/2 > wideLimitFraction
	case "nps":
		r, err := evaluate.NPS(xs)
		if err != nil {
			return nil, prefixed("nps", err)
		}
		out.N, out.Value, out.CILow, out.CIHigh = r.N, r.Value, r.CI.Low, r.CI.High
		out.Promoters, out.Passives, out.Detractors, out.SE = &r.Promoters, &r.Passives, &r.Detractors, &r.SE
		out.Wide = (r.CI.High-r.CI.Low)/2 > wideLimitPoints
	case "ces":
		r, err := evaluate.CES(xs)
		if err != nil {
			return nil, prefixed("ces", err)
		}
		out.N, out.Value, out.CILow, out.CIHigh = r.N, r.Mean, r.CI.Low, r.CI.High
		out.SD, out.Agree, out.AgreeCILow, out.AgreeCIHigh = &r.SD, &r.Agree, &r.AgreeCI.Low, &r.AgreeCI.High
		out.Wide = (r.AgreeCI.High-r.AgreeCI.Low)/2 > wideLimitFraction
	default:
		return nil, fmt.Errorf("unknown score kind %q (use csat, nps or ces)", kind)
	}
	out.SmallSample = out.N < minReliableN
	out.Unreliable = out.Wide || out.SmallSample
	return out, nil
}

// checkScale reports the first answer that is not a whole number on the
// score's scale by its row, which the evaluate package cannot know.
func checkScale(d *dataset, kind, column string, cc *complete) error {
	lo, hi := 0.0, 0.0
	switch kind {
	case "csat":
		lo, hi = 1, 5
	case "nps":
		lo, hi = 0, 10
	case "ces":
		lo, hi = 1, 7
	default:
		return nil
	}
	j, err := d.column(column)
	if err != nil {
		return err
	}
	for k, x := range cc.cols[0] {
		if x < lo || x > hi || x != math.Trunc(x) {
			return d.cellError(cc.rows[k], j, fmt.Sprintf("a whole number from %g to %g (the %s scale)", lo, hi, strings.ToUpper(kind)))
		}
	}
	return nil
}

func writeScoreText(w io.Writer, s *scoreOutput) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s of %s: %s\n", strings.ToUpper(s.Kind), s.Column, droppedLine(s.N, s.Dropped))
	switch s.Kind {
	case "csat":
		fmt.Fprintf(&b, "CSAT = %.4f (%.1f %%), 95 %% Wilson interval [%.4f, %.4f]; %d of %d satisfied (4–5)\n",
			s.Value, 100*s.Value, s.CILow, s.CIHigh, *s.Satisfied, s.N)
	case "nps":
		fmt.Fprintf(&b, "NPS = %.2f points, 95 %% interval [%.2f, %.2f], SE %.2f; promoters %d, passives %d, detractors %d\n",
			s.Value, s.CILow, s.CIHigh, *s.SE, *s.Promoters, *s.Passives, *s.Detractors)
	case "ces":
		fmt.Fprintf(&b, "CES mean = %.4f (SD %.4f), 95 %% interval [%.4f, %.4f]\n", s.Value, *s.SD, s.CILow, s.CIHigh)
		fmt.Fprintf(&b, "Agree (5–7) = %.4f, 95 %% Wilson interval [%.4f, %.4f]\n", *s.Agree, *s.AgreeCILow, *s.AgreeCIHigh)
	}
	if s.Wide {
		b.WriteString("Warning: the interval is wider than ±10 points; the figure is unreliable (collect more answers).\n")
	}
	if s.SmallSample {
		fmt.Fprintf(&b, "Warning: fewer than %d answers; the figure is unreliable whatever its interval (collect more answers).\n", minReliableN)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
