package analyze

import (
	"math"
	"unicode"
)

// Label layout for the server-side charts. A browser is not there to
// measure text, so widths are estimated from the characters (CJK and
// other wide characters about one em, Latin about 0.56 em, narrow ones
// less); the estimate errs on the wide side so that labels placed apart
// stay apart.

// textWidth estimates the rendered width of s at font size px.
func textWidth(s string, px float64) float64 {
	var em float64
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || (r >= 0xFF00 && r <= 0xFFEF) || (r >= 0x3000 && r <= 0x303F):
			em += 1.0
		case r == 'i' || r == 'l' || r == 'j' || r == '.' || r == ',' || r == '\'' || r == '|' || r == '!' || r == ' ':
			em += 0.32
		case unicode.IsUpper(r) || r == 'm' || r == 'w' || r == '@' || r == '%':
			em += 0.75
		default:
			em += 0.58
		}
	}
	return em * px
}

// box is an axis-aligned rectangle in SVG coordinates.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

func (a box) inside(b box) bool {
	return a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1
}

// placedLabel is where a point's label goes; Leader is true when it sits
// away from its point and needs a line back to it.
type placedLabel struct {
	X, Y   float64 // text anchor (baseline)
	Anchor string  // start or end
	Box    box
	Leader bool
}

// placeLabels finds, for each point (px, py) with its label, a position
// that overlaps no other label, no other point, none of the obstacles
// (captions) and stays inside area.
// It tries the four corners next to the point first, then positions
// further up and down on either side (drawn with a leader line). A label
// that finds no free place at all keeps its first position: nothing is
// dropped. Points are placed from the most crowded outwards in a fixed
// order, so the layout is deterministic.
func placeLabels(xs, ys []float64, labels []string, px, radius float64, area box, obstacles []box) []placedLabel {
	n := len(xs)
	out := make([]placedLabel, n)
	var taken []box
	for i := range xs {
		r := radius + 1
		taken = append(taken, box{xs[i] - r, ys[i] - r, xs[i] + r, ys[i] + r})
	}
	taken = append(taken, obstacles...)
	// Most neighbours first: crowded points get the best spots.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	crowd := make([]int, n)
	for i := range xs {
		for j := range xs {
			if i != j && math.Abs(xs[i]-xs[j]) < 120 && math.Abs(ys[i]-ys[j]) < 40 {
				crowd[i]++
			}
		}
	}
	for a := 1; a < n; a++ { // insertion sort: stable, deterministic
		for b := a; b > 0 && crowd[order[b]] > crowd[order[b-1]]; b-- {
			order[b], order[b-1] = order[b-1], order[b]
		}
	}
	h := px * 1.25
	gap := radius + 3
	for _, i := range order {
		w := textWidth(labels[i], px)
		cands := []placedLabel{}
		add := func(dx, dy float64, anchor string, leader bool) {
			x, y := xs[i]+dx, ys[i]+dy
			b := box{x, y - px, x + w, y - px + h}
			if anchor == "end" {
				b = box{x - w, y - px, x, y - px + h}
			}
			cands = append(cands, placedLabel{X: x, Y: y, Anchor: anchor, Box: b, Leader: leader})
		}
		add(gap, -gap, "start", false)
		add(gap, gap+px, "start", false)
		add(-gap, -gap, "end", false)
		add(-gap, gap+px, "end", false)
		for step := 1; step <= 14; step++ {
			d := float64(step) * h
			for _, dx := range []float64{gap, gap + 70, gap + 140} {
				add(dx, -gap-d, "start", true)
				add(dx, gap+px+d, "start", true)
				add(-dx, -gap-d, "end", true)
				add(-dx, gap+px+d, "end", true)
			}
		}
		// The first place inside the area that overlaps nothing and whose
		// leader crosses no label wins; failing that, the one with the
		// fewest overlaps, then the fewest crossings. Overlaps count
		// first: a leader across a label is untidy, a label on a label
		// unreadable.
		chosen, bestOver, bestCross := -1, math.MaxInt, math.MaxInt
		for c, cand := range cands {
			if !cand.Box.inside(area) {
				continue
			}
			over, cross := 0, 0
			for j, t := range taken {
				if j == i {
					continue
				}
				if cand.Box.overlaps(t) {
					over++
				}
				// Leaders may pass points (the first n boxes), not labels
				// or captions.
				if cand.Leader && j >= n && segmentCrosses(xs[i], ys[i], cand.anchorX(), cand.anchorY(ys[i]), t) {
					cross++
				}
			}
			if over < bestOver || (over == bestOver && cross < bestCross) {
				chosen, bestOver, bestCross = c, over, cross
			}
			if over == 0 && cross == 0 {
				break
			}
		}
		if chosen < 0 {
			chosen = 0
		}
		out[i] = cands[chosen]
		taken = append(taken, cands[chosen].Box)
	}
	return out
}

// anchorX is where a leader line meets the label: its near edge.
func (p placedLabel) anchorX() float64 {
	if p.Anchor == "end" {
		return p.Box.x1
	}
	return p.Box.x0
}

// anchorY is the height at which a leader from a point at y meets the
// label: y clamped into the label's box.
func (p placedLabel) anchorY(y float64) float64 { return math.Min(math.Max(y, p.Box.y0), p.Box.y1) }

// segmentCrosses reports whether the segment (x0,y0)–(x1,y1) passes
// through box b (Liang–Barsky clipping).
func segmentCrosses(x0, y0, x1, y1 float64, b box) bool {
	dx, dy := x1-x0, y1-y0
	t0, t1 := 0.0, 1.0
	for _, c := range [4][2]float64{{-dx, x0 - b.x0}, {dx, b.x1 - x0}, {-dy, y0 - b.y0}, {dy, b.y1 - y0}} {
		p, q := c[0], c[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		r := q / p
		if p < 0 {
			t0 = math.Max(t0, r)
		} else {
			t1 = math.Min(t1, r)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// fitLabel shortens s with an ellipsis to at most maxW wide at px.
func fitLabel(s string, px, maxW float64) string {
	if textWidth(s, px) <= maxW {
		return s
	}
	rs := []rune(s)
	for len(rs) > 1 && textWidth(string(rs)+"…", px) > maxW {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// wrapLabel breaks s into at most two lines no wider than maxW (at word
// boundaries when there are spaces, else anywhere); a remainder that
// still does not fit ends with an ellipsis.
func wrapLabel(s string, px, maxW float64) []string {
	if textWidth(s, px) <= maxW {
		return []string{s}
	}
	rs := []rune(s)
	cut := 0
	for i := 1; i <= len(rs); i++ {
		if textWidth(string(rs[:i]), px) > maxW {
			break
		}
		cut = i
	}
	// Prefer the last space before the cut.
	for j := cut; j > cut/2; j-- {
		if j < len(rs) && rs[j] == ' ' {
			cut = j
			break
		}
	}
	if cut == 0 {
		cut = 1
	}
	first := string(rs[:cut])
	rest := string(rs[cut:])
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	return []string{first, fitLabel(rest, px, maxW)}
}
