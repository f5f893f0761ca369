package kb

import (
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/text/tokenize"
)

func TestSnippetHighlightsAndEscapes(t *testing.T) {
	body := "## 故障\n\n如果 <b>KFR-35GW</b> 空调不制冷，请先清洗**滤网**，再检查室外机。" + strings.Repeat("其他内容。", 50)
	terms, _ := tokenize.Query("滤网 kfr35gw")
	snip, marks := Snippet(body, terms, 80)
	if len(marks) == 0 {
		t.Fatalf("no marks in %q", snip)
	}
	var got []string
	for _, m := range marks {
		got = append(got, snip[m[0]:m[1]])
	}
	if !strings.Contains(strings.Join(got, "|"), "滤网") {
		t.Errorf("marks %q, want 滤网 among them", got)
	}
	h := string(Highlight(snip, marks))
	if strings.Contains(h, "<b>") || !strings.Contains(h, "<mark>") || strings.Contains(h, "**") {
		t.Errorf("highlighted HTML %q: want markup escaped or removed and <mark> added", h)
	}
}

func TestRenderIsSafe(t *testing.T) {
	out := string(Render("**ok** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"))
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(out, bad) {
			t.Errorf("Render kept %q: %s", bad, out)
		}
	}
	if !strings.Contains(out, "<strong>ok</strong>") {
		t.Errorf("Render: %s", out)
	}
}

func TestBayesLearnsLabels(t *testing.T) {
	nb := newBayes()
	for range 10 {
		nb.add("repair", termSet("washer does not drain water"))
		nb.add("inquiry", termSet("opening hours on sunday"))
	}
	if l, p := nb.best(termSet("my washer will not drain")); l != "repair" || p < 0.9 {
		t.Errorf("got %s (%.2f), want repair", l, p)
	}
	if c := cosine(termSet("washer drain"), termSet("washer does not drain")); c < 0.7 {
		t.Errorf("cosine %.2f", c)
	}
}
