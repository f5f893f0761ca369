package analyze

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/evaluate"
)

const (
	suffixFunctional    = "_functional"
	suffixDysfunctional = "_dysfunctional"
)

// kanoCounts lists the category counts in a fixed order with every
// category present.
type kanoCounts struct {
	A int `json:"A"`
	O int `json:"O"`
	M int `json:"M"`
	I int `json:"I"`
	R int `json:"R"`
	Q int `json:"Q"`
}

// kanoAttribute is one attribute of the "analyze kano" JSON.
type kanoAttribute struct {
	Name      string `json:"name"`
	Attribute string `json:"attribute"` // the same as Name, for readers that expect this key
	// Category is A, O, M, I, R or Q; empty (JSON null, with Better and
	// Worse) when the attribute is not classifiable: no complete answer
	// pair, or only reverse and questionable ones (A+O+M+I = 0). Such an
	// attribute is reported with its Reason; the others are classified as
	// usual.
	Category string     `json:"category"`
	Counts   kanoCounts `json:"counts"`
	Better   *float64   `json:"better"`
	Worse    *float64   `json:"worse"`
	N        int        `json:"n"`
	Dropped  int        `json:"dropped"`
	Reason   string     `json:"reason,omitempty"`
}

// kanoOutput is the JSON of "analyze kano".
type kanoOutput struct {
	N          int             `json:"n"`
	Attributes []kanoAttribute `json:"attributes"`
}

func runKano(c *cmdIO, args []string) error {
	fs := c.newFlags("kano", "--csv FILE [--json]", `
Kano classification. Each attribute has two columns, <attribute>_functional
and <attribute>_dysfunctional, holding answers 1 like, 2 must-be, 3 neutral,
4 live-with, 5 dislike. Each answer pair maps through the standard table to
A (attractive), O (one-dimensional), M (must-be), I (indifferent),
R (reverse) or Q (questionable); the category is the most frequent one (ties
M > O > A > I); Better = (A+O)/(A+O+M+I), Worse = −(O+M)/(A+O+M+I).
Attributes are listed in the order their columns first appear. A pair with
an empty or NA answer is dropped for that attribute and counted; "n" is the
number of data rows.`)
	var in inputFlags
	in.register(fs, "csv")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := require(fs, "csv"); err != nil {
		return err
	}
	d, err := in.load(c, kanoColumns)
	if err != nil {
		return err
	}
	out, err := computeKano(d)
	if err != nil {
		return err
	}
	if in.json {
		return writeJSON(c.stdout, out)
	}
	return writeKanoTable(c.stdout, out)
}

// kanoColumns selects the <attribute>_functional and _dysfunctional
// columns.
func kanoColumns(header []string) ([]string, error) {
	var out []string
	for _, h := range header {
		lower := strings.ToLower(h)
		if strings.HasSuffix(lower, suffixFunctional) || strings.HasSuffix(lower, suffixDysfunctional) {
			out = append(out, h)
		}
	}
	return out, nil
}

// kanoPairs finds the attributes and their functional and dysfunctional
// column indexes, in order of first appearance.
func kanoPairs(d *dataset) ([]string, [][2]int, error) {
	var names []string
	var pairs [][2]int
	pos := map[string]int{}
	for j, h := range d.header {
		lower := strings.ToLower(h)
		var attr string
		side := 0
		switch {
		case strings.HasSuffix(lower, suffixDysfunctional):
			attr, side = h[:len(h)-len(suffixDysfunctional)], 1
		case strings.HasSuffix(lower, suffixFunctional):
			attr = h[:len(h)-len(suffixFunctional)]
		default:
			continue
		}
		k, ok := pos[attr]
		if !ok {
			k = len(names)
			pos[attr] = k
			names = append(names, attr)
			pairs = append(pairs, [2]int{-1, -1})
		}
		if pairs[k][side] < 0 {
			pairs[k][side] = j
		}
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("%s: no Kano columns: expected <attribute>%s and <attribute>%s; available columns: %s",
			d.name, suffixFunctional, suffixDysfunctional, strings.Join(quoteAll(d.header), ", "))
	}
	for k, p := range pairs {
		if p[0] < 0 {
			return nil, nil, fmt.Errorf("%s: attribute %q has no column %q", d.name, names[k], names[k]+suffixFunctional)
		}
		if p[1] < 0 {
			return nil, nil, fmt.Errorf("%s: attribute %q has no column %q", d.name, names[k], names[k]+suffixDysfunctional)
		}
	}
	return names, pairs, nil
}

// kanoAnswer parses a Kano answer 1…5.
func kanoAnswer(s string) (int, bool) {
	v, ok := parseNumber(s)
	if !ok || v != math.Trunc(v) || v < 1 || v > 5 {
		return 0, false
	}
	return int(v), true
}

func computeKano(d *dataset) (*kanoOutput, error) {
	names, pairs, err := kanoPairs(d)
	if err != nil {
		return nil, err
	}
	out := &kanoOutput{N: d.n, Attributes: []kanoAttribute{}}
	for k, name := range names {
		var fn, dys []int
		dropped := 0
		for i := range d.n {
			vals := [2]int{}
			missing := false
			for side, j := range pairs[k] {
				s := d.cell(i, j)
				if isMissing(s) {
					missing = true
					continue
				}
				v, ok := kanoAnswer(s)
				if !ok {
					return nil, d.cellError(i, j, "a Kano answer 1–5")
				}
				vals[side] = v
			}
			if missing {
				dropped++
				continue
			}
			fn = append(fn, vals[0])
			dys = append(dys, vals[1])
		}
		out.Attributes = append(out.Attributes, classifyKano(name, fn, dys, dropped))
	}
	return out, nil
}

// classifyKano classifies one attribute's complete answer pairs (already
// checked to be 1–5). An attribute that cannot be classified is reported
// as such instead of stopping the whole run.
func classifyKano(name string, fn, dys []int, dropped int) kanoAttribute {
	a := kanoAttribute{Name: name, Attribute: name, N: len(fn), Dropped: dropped}
	counts := map[evaluate.KanoCategory]int{}
	for i := range fn {
		c, _ := evaluate.KanoClassify(fn[i], dys[i])
		counts[c]++
	}
	a.Counts = kanoCounts{A: counts["A"], O: counts["O"], M: counts["M"], I: counts["I"], R: counts["R"], Q: counts["Q"]}
	if len(fn) == 0 {
		a.Reason = "no complete answer pair"
		return a
	}
	res, err := evaluate.KanoFromCounts(counts)
	if err != nil {
		a.Reason = "only reverse or questionable answers (A+O+M+I = 0)"
		return a
	}
	a.Category, a.Better, a.Worse = string(res.Category), &res.Better, &res.Worse
	return a
}

func writeKanoTable(w io.Writer, out *kanoOutput) error {
	if _, err := fmt.Fprintf(w, "Kano classification of %d rows\n\n", out.N); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	t := newTable("attribute", "category", "A", "O", "M", "I", "R", "Q", "better", "worse", "n", "dropped")
	itoa := strconv.Itoa
	for _, a := range out.Attributes {
		c := a.Counts
		cat, better, worse := "not classifiable", "—", "—"
		if a.Category != "" {
			cat, better, worse = a.Category+" "+kanoName(a.Category), f4(*a.Better), f4(*a.Worse)
		}
		t.add(a.Name, cat, itoa(c.A), itoa(c.O), itoa(c.M), itoa(c.I), itoa(c.R), itoa(c.Q),
			better, worse, itoa(a.N), itoa(a.Dropped))
	}
	if err := t.write(w); err != nil {
		return err
	}
	for _, a := range out.Attributes {
		if a.Reason != "" {
			if _, err := fmt.Fprintf(w, "%s: not classifiable: %s\n", a.Name, a.Reason); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
		}
	}
	return nil
}

// kanoName spells out a Kano category letter.
func kanoName(cat string) string {
	switch cat {
	case "A":
		return "attractive"
	case "O":
		return "one-dimensional"
	case "M":
		return "must-be"
	case "I":
		return "indifferent"
	case "R":
		return "reverse"
	case "Q":
		return "questionable"
	}
	return ""
}
