package analyze

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// airline is the 14 service items of a real airline passenger survey,
// crowded the way they come out of a driver analysis (performance 2.7–3.7
// on a 1–5 scale, importance 0.03–0.30): the case in which the report's
// labels used to overlap.
func airline() []ipaPoint {
	names := []string{"Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking",
		"Gate location", "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment",
		"On-board service", "Leg room service", "Baggage handling", "Checkin service", "Inflight service", "Cleanliness"}
	perf := []float64{2.73, 3.06, 2.76, 2.98, 3.20, 3.25, 3.44, 3.36, 3.38, 3.35, 3.63, 3.30, 3.64, 3.29}
	imp := []float64{0.28, 0.05, 0.17, 0.03, 0.12, 0.30, 0.18, 0.22, 0.17, 0.16, 0.12, 0.15, 0.12, 0.16}
	pts := make([]ipaPoint, len(names))
	for i := range names {
		pts[i] = ipaPoint{Label: names[i], Performance: perf[i], Importance: imp[i], Highlight: perf[i] < 3.2 && imp[i] > 0.15}
	}
	return pts
}

var (
	svgLabel  = regexp.MustCompile(`<text x="([-\d.]+)" y="([-\d.]+)" text-anchor="(start|end)" class="lbl">(?:<title>[^<]*</title>)?([^<]*)</text>`)
	svgCircle = regexp.MustCompile(`<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)"`)
)

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestIPALabelsDoNotOverlap lays out the airline survey and checks that
// no label box overlaps another label or a point and that every label is
// inside the chart. (The browser test in e2e measures the same on the
// rendered page.)
func TestIPALabelsDoNotOverlap(t *testing.T) {
	for _, pts := range [][]ipaPoint{airline(), crowdedCJK()} {
		svg := string(ipaChart(pts, 3.25, 0.16, ipaLabels{Title: "IPA", X: "performance", Y: "importance",
			Q1: "Concentrate here", Q2: "Keep up the good work", Q3: "Low priority", Q4: "Possible overkill"}))
		var boxes []box
		for _, m := range svgLabel.FindAllStringSubmatch(svg, -1) {
			x, y, w := num(t, m[1]), num(t, m[2]), textWidth(m[4], ipaLabelPx)
			b := box{x, y - ipaLabelPx, x + w, y + 3}
			if m[3] == "end" {
				b = box{x - w, y - ipaLabelPx, x, y + 3}
			}
			if b.x0 < 0 || b.x1 > 640 || b.y0 < 0 || b.y1 > 440 {
				t.Errorf("label %q outside the chart: %+v", m[4], b)
			}
			boxes = append(boxes, b)
		}
		if len(boxes) != len(pts) {
			t.Fatalf("got %d labels for %d points", len(boxes), len(pts))
		}
		for i := range boxes {
			for j := i + 1; j < len(boxes); j++ {
				if boxes[i].overlaps(boxes[j]) {
					t.Errorf("labels %d and %d overlap: %+v %+v", i, j, boxes[i], boxes[j])
				}
			}
			for _, c := range svgCircle.FindAllStringSubmatch(svg, -1) {
				cx, cy, r := num(t, c[1]), num(t, c[2]), num(t, c[3])
				if boxes[i].overlaps(box{cx - r, cy - r, cx + r, cy + r}) {
					t.Errorf("label %d covers the point at %.0f,%.0f", i, cx, cy)
				}
			}
		}
	}
}

// crowdedCJK is ten Chinese items on almost the same spot.
func crowdedCJK() []ipaPoint {
	var pts []ipaPoint
	for i := range 10 {
		pts = append(pts, ipaPoint{Label: fmt.Sprintf("维修服务态度第%d项", i+1), Performance: 3.5 + float64(i)*0.01, Importance: 0.2 + float64(i%3)*0.002})
	}
	return pts
}

// TestBarChartKeepsLongNames checks that long item names are not cut: the
// label column widens to fit, a name too long for 40 % of the chart wraps
// onto a second line, and whatever is shortened keeps the full name as
// its tooltip.
func TestBarChartKeepsLongNames(t *testing.T) {
	labels := []string{"Departure/Arrival time convenient", "Seat comfort",
		"Overall the cabin crew were attentive, polite and quick to help with every request"}
	svg := string(barChart("weights", labels, []float64{0.1, 0.3, 0.2}, f4))
	for _, l := range labels[:2] {
		if !strings.Contains(svg, ">"+l+"</tspan>") {
			t.Errorf("label %q is not shown whole", l)
		}
	}
	if !strings.Contains(svg, "<title>"+labels[2]+"</title>") || !strings.Contains(svg, `dy="1.2em"`) {
		t.Errorf("the longest label neither wraps nor keeps its tooltip:\n%s", svg)
	}
	for _, m := range regexp.MustCompile(`<text x="([\d.]+)"[^>]*class="lbl">`).FindAllStringSubmatch(svg, -1) {
		x := num(t, m[1])
		if x < textWidth("Departure/Arrival time convenient", 12) {
			t.Errorf("labels end at x=%.0f, too far left for the longest one-line name", x)
		}
	}
}
