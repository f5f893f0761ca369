package analyze

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// reportFixture is a small survey with scores, driver, entropy and Kano
// columns; one row has NA answers.
func reportFixture() string {
	var b strings.Builder
	b.WriteString("centre,csat,nps,effort,overall,speed,price,staff,a_functional,a_dysfunctional\n")
	for i := range 60 {
		speed, price, staff := 1+i%5, 1+(i*3)%5, 1+(i*7)%5
		overall := min(5, max(1, (2*speed+price+staff+2)/4))
		fmt.Fprintf(&b, "C%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n", i%4, 1+i%5, i%11, 1+i%7, overall, speed, price, staff, 1+i%2, 5-i%3)
	}
	b.WriteString("C0,NA,,3,4,NA,2,2,1,5\n")
	return b.String()
}

const reportConfigJSON = `{
  "title": "Test <report> & co",
  "lang": %q,
  "scores": [{"kind": "csat", "column": "csat"}, {"kind": "nps", "column": "nps"}, {"kind": "ces", "column": "effort"}],
  "drivers": {"target": "overall", "predictors": ["speed", "price", "staff"]},
  "entropy": {"columns": ["speed", "price", "staff"], "cost": ["price"], "normalize": "minmax", "label": "centre"},
  "distributions": ["csat", "speed"],
  "kano": true
}`

// parseHTML parses a report and returns its text, the ids of its
// elements and the number of elements per tag.
func parseHTML(tb testing.TB, doc string) (string, map[string]bool, map[string]int) {
	tb.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		tb.Fatalf("parse report: %v", err)
	}
	var text strings.Builder
	ids, tags := map[string]bool{}, map[string]int{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
		case html.ElementNode:
			tags[n.Data]++
			for _, a := range n.Attr {
				if a.Key == "id" {
					ids[a.Val] = true
				}
				if (a.Key == "src" || a.Key == "href") && !strings.HasPrefix(a.Val, "#") {
					tb.Errorf("<%s %s=%q>: a report must not reference other files", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return text.String(), ids, tags
}

func TestReport(t *testing.T) {
	data := writeFixture(t, "survey.csv", reportFixture())
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{"unreliable", "Key drivers", "Importance–performance analysis", "Fix this first", "Rating distributions", "Entropy", "CSAT", "NPS", "CES", "Kano", "Test <report> & co"}},
		{"zh-CN", []string{"驱动因素分析", "重要性—表现分析", "优先改进", "评分分布", "熵权法", "满意率", "净推荐值", "Kano"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			cfg := writeFixture(t, "report.json", fmt.Sprintf(reportConfigJSON, tt.lang))
			out := filepath.Join(t.TempDir(), "report.html")
			_, stderr, err := runCmd(t, "report", "--csv", data, "--config", cfg, "--out", out)
			if err != nil {
				t.Fatalf("report: %v\n%s", err, stderr)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			doc := string(b)
			text, ids, tags := parseHTML(t, doc)
			for _, id := range []string{"scores", "drivers", "entropy", "distributions", "kano"} {
				if !ids[id] {
					t.Errorf("report lacks section #%s", id)
				}
			}
			// 3 score intervals, IPA, share bars, entropy weights and scores, 2 histograms.
			if got := tags["svg"]; got != 9 {
				t.Errorf("got %d <svg> charts, want 9", got)
			}
			if tags["script"] != 0 || tags["link"] != 0 {
				t.Errorf("got %d <script> and %d <link> elements, want none", tags["script"], tags["link"])
			}
			for _, bad := range []string{"http://", "https://", "<script"} {
				if strings.Contains(doc, bad) {
					t.Errorf("report contains %q", bad)
				}
			}
			// n = 60 gives CSAT and NPS intervals wider than ±10 points.
			if !strings.Contains(doc, `<tr class="wide">`) || !strings.Contains(doc, `<g class="wide">`) {
				t.Errorf("report does not grey out the wide intervals")
			}
			if !strings.Contains(doc, "@media print") {
				t.Errorf("report lacks print CSS")
			}
			if !strings.Contains(doc, `lang="`+tt.lang+`"`) {
				t.Errorf("report lacks lang=%q", tt.lang)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("report text lacks %q", w)
				}
			}
			entries, _ := os.ReadDir(filepath.Dir(out))
			if len(entries) != 1 {
				t.Errorf("got %d files beside the report, want only the report", len(entries))
			}
		})
	}
}

func TestReportStdoutAndDefaults(t *testing.T) {
	data := writeFixture(t, "survey.csv", reportFixture())
	cfg := writeFixture(t, "report.json", `{"distributions": ["speed"]}`)
	out, _, err := runCmd(t, "report", "--csv", data, "--config", cfg)
	if err != nil {
		t.Fatal(err)
	}
	text, ids, _ := parseHTML(t, out)
	if !ids["distributions"] || ids["drivers"] || !strings.Contains(text, "Satisfaction analysis report") {
		t.Errorf("got sections %v, want only distributions under the default English title", ids)
	}
}

func TestReportFailureWritesNothing(t *testing.T) {
	data := writeFixture(t, "survey.csv", reportFixture())
	tests := []struct {
		name, config, want string
	}{
		{"missing column", `{"distributions": ["speed"], "drivers": {"target": "overall", "predictors": ["nope"]}}`, `no column "nope"`},
		{"bad score kind", `{"scores": [{"kind": "ces2", "column": "effort"}]}`, "kind must be"},
		{"unknown key", `{"distributon": ["speed"]}`, "unknown field"},
		{"bad cell", `{"distributions": ["centre"]}`, "data row 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFixture(t, "report.json", tt.config)
			dir := t.TempDir()
			out := filepath.Join(dir, "report.html")
			stdout, _, err := runCmd(t, "report", "--csv", data, "--config", cfg, "--out", out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 || stdout != "" {
				t.Errorf("got %d files and stdout %q after a failure, want nothing", len(entries), stdout)
			}
			stdout, _, _ = runCmd(t, "report", "--csv", data, "--config", cfg)
			if stdout != "" {
				t.Errorf("got stdout %q after a failure, want nothing", stdout)
			}
		})
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 1, 5, "0 0.2 0.4 0.6 0.8 1"},
		{-100, 100, 5, "-100 -50 0 50 100"},
		{5.2, 8.1, 6, "5.5 6 6.5 7 7.5 8"},
	}
	for _, tt := range tests {
		var got []string
		for _, v := range niceTicks(tt.lo, tt.hi, tt.n) {
			got = append(got, tickLabel(v))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("niceTicks(%v, %v, %d): got %v, want %s", tt.lo, tt.hi, tt.n, got, tt.want)
		}
	}
}
