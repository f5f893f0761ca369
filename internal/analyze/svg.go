package analyze

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// The charts are drawn server-side as inline SVG so that a report is one
// self-contained file that opens offline and prints.

// svgDoc accumulates the elements of one SVG picture.
type svgDoc struct {
	b    strings.Builder
	w, h float64
}

func newSVG(w, h float64, title string) *svgDoc {
	s := &svgDoc{w: w, h: h}
	fmt.Fprintf(&s.b, `<svg class="chart" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`,
		w, h, w, h, html.EscapeString(title))
	fmt.Fprintf(&s.b, `<title>%s</title>`, html.EscapeString(title))
	return s
}

func (s *svgDoc) line(x1, y1, x2, y2 float64, class string) {
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="%s"/>`, x1, y1, x2, y2, class)
}

func (s *svgDoc) rect(x, y, w, h float64, class string) {
	fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="%s"/>`, x, y, math.Max(w, 0), math.Max(h, 0), class)
}

func (s *svgDoc) circle(cx, cy, r float64, class string) {
	fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="%.1f" class="%s"/>`, cx, cy, r, class)
}

// text draws a label; anchor is start, middle or end.
func (s *svgDoc) text(x, y float64, anchor, class, txt string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`, x, y, anchor, class, html.EscapeString(txt))
}

// textTitled draws a label that may be shortened, with the full text as
// its tooltip when it was.
func (s *svgDoc) textTitled(x, y float64, anchor, class, txt, full string) {
	if txt == full {
		s.text(x, y, anchor, class, txt)
		return
	}
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s"><title>%s</title>%s</text>`,
		x, y, anchor, class, html.EscapeString(full), html.EscapeString(txt))
}

// lines draws a label of one or two lines (tspans) starting at baseline y.
func (s *svgDoc) lines(x, y float64, anchor, class string, rows []string, full string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">`, x, y, anchor, class)
	if len(rows) > 1 || rows[0] != full {
		fmt.Fprintf(&s.b, `<title>%s</title>`, html.EscapeString(full))
	}
	for i, r := range rows {
		dy := "0"
		if i > 0 {
			dy = "1.2em"
		}
		fmt.Fprintf(&s.b, `<tspan x="%.1f" dy="%s">%s</tspan>`, x, dy, html.EscapeString(r))
	}
	s.b.WriteString(`</text>`)
}

func (s *svgDoc) html() template.HTML {
	s.b.WriteString(`</svg>`)
	// The markup is built from escaped text and formatted numbers only.
	return template.HTML(s.b.String())
}

// scale maps a data interval onto a pixel interval.
type scale struct{ d0, d1, p0, p1 float64 }

func (sc scale) at(v float64) float64 {
	if sc.d1 == sc.d0 {
		return (sc.p0 + sc.p1) / 2
	}
	return sc.p0 + (v-sc.d0)/(sc.d1-sc.d0)*(sc.p1-sc.p0)
}

// niceTicks returns round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo || n < 1 {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// tickLabel formats a tick value without trailing zeros.
func tickLabel(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// padRange widens [lo, hi] by frac on each side (and makes it non-empty).
func padRange(lo, hi, frac float64) (float64, float64) {
	if hi == lo {
		d := math.Max(math.Abs(lo)*0.1, 1)
		return lo - d, hi + d
	}
	d := (hi - lo) * frac
	return lo - d, hi + d
}

// ipaPoint is one predictor on the importance–performance chart.
type ipaPoint struct {
	Label       string
	Performance float64
	Importance  float64
	Highlight   bool // in the concentrate quadrant
}

// ipaLabels holds the translated texts of the IPA chart.
type ipaLabels struct {
	Title, X, Y            string
	Q1, Q2, Q3, Q4, Legend string
}

// IPA labels: 12 px (svg .lbl), at most this wide before an ellipsis (the
// full name stays in the tooltip).
const ipaLabelPx, ipaLabelMax = 12.0, 230.0

// ipaChart draws the IPA scatter with cross-hairs at xCut and yCut. Point
// labels are laid out so that none overlaps another label or point, with
// a leader line when a label had to move away from its point.
func ipaChart(pts []ipaPoint, xCut, yCut float64, lb ipaLabels) template.HTML {
	const w, h, ml, mr, mt, mb = 640.0, 440.0, 64.0, 24.0, 28.0, 56.0
	xlo, xhi, ylo, yhi := xCut, xCut, 0.0, yCut
	for _, p := range pts {
		xlo, xhi = math.Min(xlo, p.Performance), math.Max(xhi, p.Performance)
		yhi = math.Max(yhi, p.Importance)
	}
	xlo, xhi = padRange(xlo, xhi, 0.08)
	yhi *= 1.12
	if yhi <= 0 {
		yhi = 1
	}
	sx := scale{xlo, xhi, ml, w - mr}
	sy := scale{ylo, yhi, h - mb, mt}
	s := newSVG(w, h, lb.Title)
	s.rect(ml, mt, w-ml-mr, h-mt-mb, "plot")
	cx, cy := sx.at(xCut), sy.at(yCut)
	s.rect(ml, mt, cx-ml, cy-mt, "q1")
	for _, t := range niceTicks(xlo, xhi, 6) {
		s.line(sx.at(t), h-mb, sx.at(t), h-mb+4, "axis")
		s.text(sx.at(t), h-mb+17, "middle", "tick", tickLabel(t))
	}
	for _, t := range niceTicks(ylo, yhi, 5) {
		s.line(ml-4, sy.at(t), ml, sy.at(t), "axis")
		s.text(ml-7, sy.at(t)+4, "end", "tick", tickLabel(t))
	}
	s.line(ml, h-mb, w-mr, h-mb, "axis")
	s.line(ml, mt, ml, h-mb, "axis")
	s.line(cx, mt, cx, h-mb, "cross")
	s.line(ml, cy, w-mr, cy, "cross")
	s.text(ml+6, mt+16, "start", "quad", lb.Q1)
	s.text(w-mr-6, mt+16, "end", "quad", lb.Q2)
	s.text(ml+6, h-mb-8, "start", "quad", lb.Q3)
	s.text(w-mr-6, h-mb-8, "end", "quad", lb.Q4)
	const qpx = 12.0
	captions := []box{
		{ml + 6, mt + 16 - qpx, ml + 6 + textWidth(lb.Q1, qpx), mt + 16 + 3},
		{w - mr - 6 - textWidth(lb.Q2, qpx), mt + 16 - qpx, w - mr - 6, mt + 16 + 3},
		{ml + 6, h - mb - 8 - qpx, ml + 6 + textWidth(lb.Q3, qpx), h - mb - 8 + 3},
		{w - mr - 6 - textWidth(lb.Q4, qpx), h - mb - 8 - qpx, w - mr - 6, h - mb - 8 + 3},
	}
	xs, ys, names := make([]float64, len(pts)), make([]float64, len(pts)), make([]string, len(pts))
	for i, p := range pts {
		xs[i], ys[i], names[i] = sx.at(p.Performance), sy.at(p.Importance), fitLabel(p.Label, ipaLabelPx, ipaLabelMax)
	}
	area := box{ml + 2, mt + 2, w - mr - 2, h - mb - 2}
	places := placeLabels(xs, ys, names, ipaLabelPx, 5, area, captions)
	for i, p := range pts {
		class := "pt"
		if p.Highlight {
			class = "pt hot"
		}
		pl := places[i]
		if pl.Leader {
			s.line(xs[i], ys[i], pl.anchorX(), pl.anchorY(ys[i]), "leader")
		}
		s.circle(xs[i], ys[i], 5, class)
		s.textTitled(pl.X, pl.Y, pl.Anchor, "lbl", names[i], p.Label)
	}
	s.text((ml+w-mr)/2, h-14, "middle", "axtitle", lb.X)
	fmt.Fprintf(&s.b, `<text x="16" y="%.1f" text-anchor="middle" class="axtitle" transform="rotate(-90 16 %.1f)">%s</text>`,
		(mt+h-mb)/2, (mt+h-mb)/2, html.EscapeString(lb.Y))
	return s.html()
}

// barChart draws horizontal bars, one per label, on a scale from zero (or
// the smallest negative value) to the largest value. The label column is
// as wide as the longest label needs (up to 40 % of the chart); longer
// labels wrap onto a second line, and only what still does not fit is
// shortened, with the full name as the tooltip.
func barChart(title string, labels []string, values []float64, format func(float64) string) template.HTML {
	const w, px, gap, mr, mt = 640.0, 12.0, 8.0, 90.0, 10.0
	maxLabel := w * 0.4
	ml := 60.0
	rows := make([][]string, len(labels))
	two := false
	for i, l := range labels {
		rows[i] = wrapLabel(l, px, maxLabel)
		for _, r := range rows[i] {
			ml = math.Max(ml, textWidth(r, px)+16)
		}
		two = two || len(rows[i]) > 1
	}
	barH := 22.0
	if two {
		barH = 34
	}
	h := mt*2 + float64(len(values))*(barH+gap)
	lo, hi := 0.0, 0.0
	for _, v := range values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if hi == lo {
		hi = lo + 1
	}
	sx := scale{lo, hi, ml, w - mr}
	s := newSVG(w, h, title)
	for i, v := range values {
		y := mt + float64(i)*(barH+gap)
		x0, x1 := sx.at(0), sx.at(v)
		s.rect(math.Min(x0, x1), y, math.Abs(x1-x0), barH, "bar")
		base := y + barH*0.7
		if len(rows[i]) > 1 {
			base = y + barH/2 - 2
		}
		s.lines(ml-8, base, "end", "lbl", rows[i], labels[i])
		s.text(math.Max(x0, x1)+6, y+barH*0.6, "start", "val", format(v))
	}
	s.line(sx.at(0), mt-4, sx.at(0), h-mt+4, "axis")
	return s.html()
}

// histBin is one bar of a histogram.
type histBin struct {
	Label string
	Count int
}

// histogram draws vertical bars of counts.
func histogram(title string, bins []histBin, xTitle string) template.HTML {
	const w, h, ml, mr, mt, mb = 480.0, 260.0, 48.0, 12.0, 16.0, 48.0
	maxC := 1
	for _, b := range bins {
		maxC = max(maxC, b.Count)
	}
	sy := scale{0, float64(maxC) * 1.1, h - mb, mt}
	s := newSVG(w, h, title)
	bw := (w - ml - mr) / float64(max(len(bins), 1))
	for _, t := range niceTicks(0, float64(maxC)*1.1, 4) {
		if t != math.Trunc(t) {
			continue
		}
		s.line(ml, sy.at(t), w-mr, sy.at(t), "grid")
		s.text(ml-6, sy.at(t)+4, "end", "tick", tickLabel(t))
	}
	for i, b := range bins {
		x := ml + float64(i)*bw
		s.rect(x+bw*0.1, sy.at(float64(b.Count)), bw*0.8, sy.at(0)-sy.at(float64(b.Count)), "bar")
		s.text(x+bw/2, h-mb+16, "middle", "tick", b.Label)
		if b.Count > 0 {
			s.text(x+bw/2, sy.at(float64(b.Count))-4, "middle", "val", fmt.Sprint(b.Count))
		}
	}
	s.line(ml, h-mb, w-mr, h-mb, "axis")
	s.text((ml+w-mr)/2, h-10, "middle", "axtitle", xTitle)
	return s.html()
}

// intervalChart draws a point estimate and its interval on the scale
// [lo, hi]; a wide (unreliable) interval is drawn greyed out.
func intervalChart(title string, value, ciLow, ciHigh, lo, hi float64, wide bool, format func(float64) string) template.HTML {
	const w, h, ml, mr = 480.0, 70.0, 20.0, 20.0
	sx := scale{lo, hi, ml, w - mr}
	s := newSVG(w, h, title)
	if wide {
		s.b.WriteString(`<g class="wide">`)
	}
	y := 28.0
	s.line(ml, y, w-mr, y, "grid")
	for _, t := range niceTicks(lo, hi, 5) {
		s.line(sx.at(t), y-3, sx.at(t), y+3, "axis")
		s.text(sx.at(t), h-8, "middle", "tick", tickLabel(t))
	}
	s.rect(sx.at(ciLow), y-6, sx.at(ciHigh)-sx.at(ciLow), 12, "ci")
	s.line(sx.at(ciLow), y-9, sx.at(ciLow), y+9, "whisker")
	s.line(sx.at(ciHigh), y-9, sx.at(ciHigh), y+9, "whisker")
	s.circle(sx.at(value), y, 6, "pt hot")
	s.text(sx.at(value), y-12, "middle", "val", format(value))
	if wide {
		s.b.WriteString(`</g>`)
	}
	return s.html()
}
