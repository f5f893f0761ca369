package analytics_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/analyze"
	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
	"github.com/aftercare/aftercare/internal/survey"
)

var (
	manager = model.Principal{Kind: model.KindStaff, ID: 1, Name: "manager", Role: model.RoleManager}
	agentP  = model.Principal{Kind: model.KindStaff, ID: 2, Name: "agent", Role: model.RoleAgent}
)

// now is the stores' clock: the period of the tests ends on 2026-06-30.
var now = time.Date(2026, 6, 30, 4, 0, 0, 0, time.UTC)

// eachStore runs fn on a fresh store of each dialect with a clock at now.
func eachStore(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			opts := storetest.Options(t, d)
			opts.Now = func() time.Time { return now }
			fn(t, storetest.OpenWith(t, opts))
		})
	}
}

// fixture holds what the responses point at.
type fixture struct {
	teams    []model.Team
	products []model.Product
	reqs     []*model.Request
}

// seed stores n responses over the 120 days before now: three teams (the
// third rated lower, its service slower), two products, some ratings
// missing, a few comments. Overall CSAT follows the dimensions.
func seed(t *testing.T, s *store.Store, n int) fixture {
	t.Helper()
	ctx := context.Background()
	var f fixture
	for _, name := range []string{"北京朝阳服务中心", "上海徐汇服务中心", "成都武侯服务中心"} {
		tm := model.Team{Name: name}
		if err := s.CreateTeam(ctx, &tm); err != nil {
			t.Fatal(err)
		}
		f.teams = append(f.teams, tm)
	}
	for i, sku := range []string{"CAM-1", "PHN-2"} {
		p := model.Product{SKU: sku, Name: fmt.Sprintf("Model %d", i+1), Brand: "B", Category: "camera", WarrantyMonths: 12}
		if err := s.CreateProduct(ctx, &p, nil); err != nil {
			t.Fatal(err)
		}
		f.products = append(f.products, p)
	}
	c := &model.Customer{Name: "王芳", Email: "fang@example.com", Locale: "zh-CN"}
	if err := s.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	by := store.Actor{Kind: model.AuthorStaff, Name: "agent", Channel: model.ChannelWeb}
	for i := range f.teams {
		r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
			Channel: model.ChannelWeb, Subject: "x", CustomerID: c.ID, TeamID: &f.teams[i].ID}, by)
		if err != nil {
			t.Fatal(err)
		}
		f.reqs = append(f.reqs, r)
	}
	rnd := rand.New(rand.NewPCG(7, uint64(n)))
	clamp := func(v, lo, hi int) int { return max(lo, min(hi, v)) }
	var rows store.FeedbackRows
	for i := range n {
		team := i % 3
		base := 4
		if team == 2 {
			base = 3
		}
		dims := make([]int, 5)
		sum := 0
		for j := range dims {
			dims[j] = clamp(base+rnd.IntN(3)-1, 1, 5)
			sum += dims[j] * []int{3, 3, 1, 1, 2}[j]
		}
		csat := clamp(int(math.Round(float64(sum)/10))+rnd.IntN(3)-1, 1, 5)
		opt := func(v int, skip int) *int {
			if rnd.IntN(skip) == 0 {
				return nil
			}
			return &v
		}
		ch := []model.Channel{model.ChannelWeb, model.ChannelAPI, model.ChannelPhone}[i%3]
		r := model.SurveyResponse{ID: int64(i + 1), RequestID: f.reqs[team].ID, CustomerID: c.ID, Channel: ch,
			RequestType: model.TypeRepair, TeamID: &f.teams[team].ID, ProductID: &f.products[i%2].ID, TemplateVersion: 1,
			Locale: "zh-CN", AnsweredAt: now.Add(-time.Duration(rnd.IntN(120*24)) * time.Hour)}
		r.CSAT = csat
		r.NPS = opt(clamp(2*csat+rnd.IntN(3)-1, 0, 10), 8)
		r.CES = opt(clamp(csat+rnd.IntN(3), 1, 7), 6)
		r.Technical, r.Efficiency = opt(dims[0], 12), opt(dims[1], 12)
		r.Convenience, r.Process, r.Price = opt(dims[2], 12), opt(dims[3], 12), opt(dims[4], 12)
		rows.Responses = append(rows.Responses, r)
	}
	if err := s.EnsureSurveyTemplate(ctx, &model.SurveyTemplate{TitleZh: "调查", TitleEn: "Survey",
		Questions: []model.Question{{Key: model.QCSAT, Enabled: true, TextZh: "满意吗", TextEn: "Happy?"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertFeedback(ctx, rows); err != nil {
		t.Fatal(err)
	}
	return f
}

// exportCSV writes the period's responses export, as the API serves it.
func exportCSV(t *testing.T, s *store.Store, period model.Period) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := export.New(export.CSV, &buf, "responses")
	if err != nil {
		t.Fatal(err)
	}
	fb := survey.New(s, survey.Options{Now: s.Now})
	if err := fb.WriteExport(context.Background(), period, "en", w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "responses.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// filterCSV writes the rows of the CSV at path whose column col is value.
func filterCSV(t *testing.T, path, col, value string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	j := -1
	for k, h := range recs[0] {
		if h == col {
			j = k
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(recs[0])
	for _, r := range recs[1:] {
		if r[j] == value {
			w.Write(r)
		}
	}
	w.Flush()
	out := filepath.Join(t.TempDir(), "group.csv")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// runAnalyze runs "aftercare analyze args… --json" and decodes its output.
func runAnalyze(t *testing.T, out any, args ...string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := analyze.Run(context.Background(), append(args, "--json"), nil, &stdout, &stderr); err != nil {
		t.Fatalf("analyze %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("analyze %s: %v", args[0], err)
	}
}

func close6(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a)) }

type cliScore struct {
	N           int      `json:"n"`
	Value       float64  `json:"value"`
	CILow       float64  `json:"ci_low"`
	CIHigh      float64  `json:"ci_high"`
	Agree       *float64 `json:"agree"`
	Wide        bool     `json:"wide"`
	SmallSample bool     `json:"small_sample"`
	Unreliable  bool     `json:"unreliable"`
}

// checkScore compares an analytics score with "analyze kind" on path.
func checkScore(t *testing.T, what, kind, path string, got analytics.Score) {
	t.Helper()
	var want cliScore
	runAnalyze(t, &want, kind, "--csv", path, "--column", kind)
	if got.N != want.N || got.Value == nil || !close6(*got.Value, want.Value) || !close6(*got.CILow, want.CILow) ||
		!close6(*got.CIHigh, want.CIHigh) || got.Unreliable != want.Unreliable || got.Wide != want.Wide ||
		got.SmallSample != want.SmallSample {
		t.Errorf("%s %s: analytics n %d value %v [%v, %v] unreliable %v; analyze n %d value %v [%v, %v] unreliable %v",
			what, kind, got.N, deref(got.Value), deref(got.CILow), deref(got.CIHigh), got.Unreliable,
			want.N, want.Value, want.CILow, want.CIHigh, want.Unreliable)
	}
	if kind == "ces" && (got.Agree == nil || want.Agree == nil || !close6(*got.Agree, *want.Agree)) {
		t.Errorf("%s ces agree: %v, analyze %v", what, got.Agree, want.Agree)
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// TestAnalyticsEqualAnalyze: the analytics of a period equal what
// "aftercare analyze" computes on the period's responses export — scores
// overall and per team, the driver analysis, the index's entropy
// weights — on both stores.
func TestAnalyticsEqualAnalyze(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seed(t, s, 600)
		svc := analytics.New(s)
		period, err := model.ParsePeriod("", "", s.Location(), now)
		if err != nil {
			t.Fatal(err)
		}
		path := exportCSV(t, s, period)

		sat, err := svc.Satisfaction(ctx, manager, period, analytics.ByTeam, "en")
		if err != nil {
			t.Fatal(err)
		}
		if sat.Overall.N < 300 || sat.Overall.N > 600 {
			t.Fatalf("overall n %d: the default period (90 days of 120) should hold about 450", sat.Overall.N)
		}
		checkScore(t, "overall", "csat", path, sat.Overall.CSAT)
		checkScore(t, "overall", "nps", path, sat.Overall.NPS)
		checkScore(t, "overall", "ces", path, sat.Overall.CES)
		if len(sat.Groups) != 3 {
			t.Fatalf("%d team groups, want 3", len(sat.Groups))
		}
		for _, g := range sat.Groups {
			gp := filterCSV(t, path, "team", g.Label)
			checkScore(t, g.Label, "csat", gp, g.CSAT)
			checkScore(t, g.Label, "nps", gp, g.NPS)
			checkScore(t, g.Label, "ces", gp, g.CES)
		}
		worst := sat.Groups[len(sat.Groups)-1]
		for _, g := range sat.Groups {
			if *g.CSAT.Value < *worst.CSAT.Value {
				worst = g
			}
		}
		if worst.Label != f.teams[2].Name {
			t.Errorf("lowest CSAT %s, want %s", worst.Label, f.teams[2].Name)
		}

		dr, err := svc.Drivers(ctx, manager, period)
		if err != nil {
			t.Fatal(err)
		}
		var want analytics.Drivers
		runAnalyze(t, &want, "drivers", "--csv", path, "--target", "csat", "--predictors", strings.Join(analytics.DriverNames(), ","))
		gotJSON, _ := json.Marshal(dr)
		if dr.N != want.N || dr.Dropped != want.Dropped || !close6(dr.R2, want.R2) || len(dr.Predictors) != 5 {
			t.Fatalf("drivers %s\nanalyze %+v", gotJSON, want)
		}
		for j, p := range dr.Predictors {
			w := want.Predictors[j]
			if p.Name != w.Name || !close6(p.RelativeWeight, w.RelativeWeight) || !close6(p.LMG, w.LMG) ||
				!close6(p.Beta, w.Beta) || !close6(p.Mean, w.Mean) || p.Quadrant != w.Quadrant {
				t.Errorf("driver %d: %+v, analyze %+v", j, p, w)
			}
		}

		idx, err := svc.Index(ctx, manager, period, analytics.ByTeam, nil, "en")
		if err != nil {
			t.Fatal(err)
		}
		if len(idx.Rows) != 3 || idx.Rows[2].Label != f.teams[2].Name || idx.Rows[2].Rank != 3 {
			t.Fatalf("index rows %+v: the third team should rank last", idx.Rows)
		}
		table := indexCSV(t, idx)
		var ent struct {
			Rows    []string
			Weights []float64
			Scores  []float64
		}
		runAnalyze(t, &ent, "entropy", "--csv", table, "--normalize", "minmax", "--label", "key")
		for j := range idx.Weights {
			if !close6(idx.Weights[j], ent.Weights[j]) {
				t.Errorf("index weight %s %v, analyze entropy %v", idx.Indicators[j], idx.Weights[j], ent.Weights[j])
			}
		}
		for i, r := range idx.Rows {
			if ent.Rows[i] != r.Key || !close6(r.Score, 100*ent.Scores[i]) {
				t.Errorf("index row %s score %v, analyze entropy %s %v", r.Key, r.Score, ent.Rows[i], 100*ent.Scores[i])
			}
		}
	})
}

// indexCSV writes the index's table (key, then one column per indicator).
func indexCSV(t *testing.T, idx analytics.Index) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(append([]string{"key"}, idx.Indicators...))
	for _, r := range idx.Rows {
		rec := []string{r.Key}
		for _, v := range r.Values {
			rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
		}
		w.Write(rec)
	}
	w.Flush()
	path := filepath.Join(t.TempDir(), "index.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAnalyticsAccess: only feedback.analyze sees analytics.
func TestAnalyticsAccess(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	svc := analytics.New(s)
	period, _ := model.ParsePeriod("", "", s.Location(), now)
	if _, err := svc.Satisfaction(context.Background(), agentP, period, analytics.ByNone, "en"); model.ErrorCode(err) != model.EFORBIDDEN {
		t.Errorf("agent: %v, want forbidden", err)
	}
	if _, err := svc.Drivers(context.Background(), agentP, period); model.ErrorCode(err) != model.EFORBIDDEN {
		t.Errorf("agent drivers: %v, want forbidden", err)
	}
}

// TestTrendPChart: weekly CSAT shares with 3σ limits of each week's n
// around the period's share; a week far below raises an alert; one
// team's trend counts only its responses.
func TestTrendPChart(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seed(t, s, 0)
		var rows store.FeedbackRows
		// Eight weeks of 50 answers, 40 satisfied; the sixth week 15.
		monday := time.Date(2026, 5, 4, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
		for w := range 8 {
			for i := range 50 {
				csat := 5
				if i >= 40 || (w == 5 && i >= 15) {
					csat = 2
				}
				team := &f.teams[i%2].ID
				if w == 5 {
					team = &f.teams[2].ID
				}
				rows.Responses = append(rows.Responses, model.SurveyResponse{ID: int64(w*50 + i + 1), RequestID: f.reqs[0].ID,
					CustomerID: f.reqs[0].CustomerID, Channel: model.ChannelWeb, RequestType: model.TypeRepair, TeamID: team,
					TemplateVersion: 1, Scores: model.Scores{CSAT: csat}, AnsweredAt: monday.AddDate(0, 0, 7*w+i%5)})
			}
		}
		if err := s.InsertFeedback(ctx, rows); err != nil {
			t.Fatal(err)
		}
		period, _ := model.ParsePeriod("2026-05-01", "2026-06-30", s.Location(), now)
		tr, err := analytics.New(s).Trend(ctx, manager, period, "", analytics.ByNone, "", "en")
		if err != nil {
			t.Fatal(err)
		}
		if tr.Interval != "week" || len(tr.Points) != 8 || tr.N != 400 || tr.Points[0].Key != "2026-05-04" {
			t.Fatalf("trend: interval %s, %d points, n %d, first %+v", tr.Interval, len(tr.Points), tr.N, tr.Points[0])
		}
		cl := float64(7*40+15) / 400
		sigma := math.Sqrt(cl * (1 - cl) / 50)
		for i, p := range tr.Points {
			want := ""
			if i == 5 {
				want = "below"
			}
			if !close6(tr.CL, cl) || !close6(p.LCL, cl-3*sigma) || !close6(p.UCL, min(1, cl+3*sigma)) || p.Alert != want {
				t.Errorf("week %s: cl %v limits [%v, %v] alert %q; want cl %v limits [%v, %v] alert %q",
					p.Key, tr.CL, p.LCL, p.UCL, p.Alert, cl, cl-3*sigma, cl+3*sigma, want)
			}
		}
		if tr.Alerts != 1 {
			t.Errorf("alerts %d, want 1", tr.Alerts)
		}
		one, err := analytics.New(s).Trend(ctx, manager, period, "month", analytics.ByTeam, fmt.Sprint(f.teams[2].ID), "en")
		if err != nil {
			t.Fatal(err)
		}
		if one.N != 50 || len(one.Points) != 1 || one.Points[0].Key != "2026-06" {
			t.Errorf("one team's trend: n %d points %+v, want the 50 answers of week 6 in June", one.N, one.Points)
		}
	})
}

// TestIndexFuzzyGrade: each ranked unit's fuzzy grade is evaluate.Fuzzy
// of its rating shares with the index's dimension weights (B sums to 1).
func TestIndexFuzzyGrade(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	seed(t, s, 600)
	period, _ := model.ParsePeriod("", "", s.Location(), now)
	idx, err := analytics.New(s).Index(context.Background(), manager, period, analytics.ByTeam, []float64{1, 1, 1, 1, 1, 5}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if idx.WeightSource != "given" || !close6(idx.Weights[5], 0.5) {
		t.Errorf("given weights: %s %v", idx.WeightSource, idx.Weights)
	}
	for _, r := range idx.Rows {
		if r.Fuzzy == nil {
			t.Fatalf("%s: no fuzzy grade", r.Label)
		}
		var sum float64
		for _, b := range r.Fuzzy.B {
			sum += b
		}
		if !close6(sum, 1) || r.Fuzzy.Score == nil || *r.Fuzzy.Score < 20 || *r.Fuzzy.Score > 100 {
			t.Errorf("%s: B %v sums to %v, score %v", r.Label, r.Fuzzy.B, sum, r.Fuzzy.Score)
		}
	}
	last := idx.Rows[len(idx.Rows)-1]
	if *last.Fuzzy.Score >= *idx.Rows[0].Fuzzy.Score {
		t.Errorf("the lowest-ranked team's fuzzy score %v is not below the best's %v", *last.Fuzzy.Score, *idx.Rows[0].Fuzzy.Score)
	}
}

// TestComments: comments counted by sentiment, each aspect's mentions by
// polarity, the evidence per dimension beside its ratings, and the filter
// by aspect, dimension and polarity.
func TestComments(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seed(t, s, 0)
		mk := func(id int64, label int, comment string, tech *int, aspects ...model.CommentAspect) model.SurveyResponse {
			r := model.SurveyResponse{ID: id, RequestID: f.reqs[0].ID, CustomerID: f.reqs[0].CustomerID, Channel: model.ChannelWeb,
				RequestType: model.TypeRepair, TeamID: &f.teams[0].ID, TemplateVersion: 1, AnsweredAt: now.Add(-time.Duration(id) * time.Hour),
				Scores: model.Scores{CSAT: 3, Technical: tech, Comment: comment}}
			if comment != "" {
				r.Sentiment = &model.CommentSentiment{Label: label, Score: float64(label), Aspects: aspects}
			}
			return r
		}
		four := 4
		slow := model.CommentAspect{Name: "speed", Dimension: model.DimEfficiency, Polarity: -1, Term: "慢"}
		cheap := model.CommentAspect{Name: "price", Dimension: model.DimPrice, Polarity: 1, Term: "不贵"}
		dear := model.CommentAspect{Name: "price", Dimension: model.DimPrice, Polarity: -1, Term: "贵"}
		rows := store.FeedbackRows{Responses: []model.SurveyResponse{
			mk(1, 0, "太慢了，还很贵", nil, slow, dear),
			mk(2, 1, "不贵，修得好", &four, cheap),
			mk(3, 0, "等了两周", nil, slow),
			mk(4, 1, "", &four),
		}}
		if err := s.InsertFeedback(ctx, rows); err != nil {
			t.Fatal(err)
		}
		period, _ := model.ParsePeriod("", "", s.Location(), now)
		svc := analytics.New(s)
		c, err := svc.Comments(ctx, manager, period, analytics.CommentFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if c.Commented != 3 || c.Positive != 1 || c.Negative != 2 || c.Matching != 3 || len(c.Items) != 3 {
			t.Fatalf("comments: %+v", c)
		}
		if len(c.Aspects) != 2 || c.Aspects[0].Name != "price" || c.Aspects[0].Positive != 1 || c.Aspects[0].Negative != 1 ||
			c.Aspects[1].Name != "speed" || c.Aspects[1].Negative != 2 {
			t.Errorf("aspects: %+v", c.Aspects)
		}
		ev := map[model.Dimension]analytics.DimensionEvidence{}
		for _, d := range c.Dimensions {
			ev[d.Dimension] = d
		}
		if e := ev[model.DimEfficiency]; e.Negative != 2 || e.Rated != 0 {
			t.Errorf("efficiency evidence %+v: two negative mentions though nobody rated it", e)
		}
		if e := ev[model.DimTechnical]; e.Rated != 2 || e.Positive+e.Negative != 0 {
			t.Errorf("technical evidence %+v", e)
		}
		for _, tc := range []struct {
			f    analytics.CommentFilter
			want []string
		}{
			{analytics.CommentFilter{Aspect: "price", Polarity: -1, Limit: 10}, []string{"太慢了，还很贵"}},
			{analytics.CommentFilter{Aspect: "price", Limit: 10}, []string{"太慢了，还很贵", "不贵，修得好"}},
			{analytics.CommentFilter{Dimension: model.DimEfficiency, Polarity: -1, Limit: 1}, []string{"太慢了，还很贵"}},
			{analytics.CommentFilter{Polarity: 1, Limit: 10}, []string{"不贵，修得好"}},
		} {
			got, err := svc.Comments(ctx, manager, period, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, it := range got.Items {
				texts = append(texts, it.Comment)
			}
			if strings.Join(texts, "|") != strings.Join(tc.want, "|") {
				t.Errorf("filter %+v: got %q, want %q", tc.f, texts, tc.want)
			}
		}
		if got, _ := svc.Comments(ctx, manager, period, analytics.CommentFilter{Dimension: model.DimEfficiency, Polarity: -1, Limit: 1}); got.Matching != 2 {
			t.Errorf("matching %d, want 2 (one shown)", got.Matching)
		}
	})
}

// TestExpertWeights: an AHP matrix of the six indicators gives the index
// its eigenvector weights and consistency ratio; a wrong size, a
// non-reciprocal or an inconsistent matrix is refused naming the field.
func TestExpertWeights(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	seed(t, s, 600)
	period, _ := model.ParsePeriod("", "", s.Location(), now)
	// Efficiency three times as important as everything else, the rest equal.
	m := "1,1/3,1,1,1,1; 3,1,3,3,3,3; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1"
	ew, err := analytics.ParseExpertWeights("ahp", m)
	if err != nil {
		t.Fatal(err)
	}
	if !close6(ew.Weights[1], 3.0/8) || !close6(ew.Weights[0], 1.0/8) || ew.CR > 1e-9 {
		t.Errorf("weights %v CR %v, want 3/8 for efficiency and 1/8 for the others, CR 0", ew.Weights, ew.CR)
	}
	idx, err := analytics.New(s).IndexWith(context.Background(), manager, period, analytics.ByTeam, &ew, "en")
	if err != nil {
		t.Fatal(err)
	}
	if idx.WeightSource != "given" || idx.Expert == nil || !close6(idx.Weights[1], 3.0/8) {
		t.Errorf("index: source %s expert %v weights %v", idx.WeightSource, idx.Expert, idx.Weights)
	}
	for _, bad := range []struct{ m, want string }{
		{"1,2;1/2,1", "6×6"},
		{"1,3,1,1,1,1; 3,1,3,3,3,3; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1", "reciprocal"},
		{"1,9,1/9,1,1,1; 1/9,1,9,1,1,1; 9,1/9,1,1,1,1; 1,1,1,1,1,1; 1,1,1,1,1,1; 1,1,1,1,1,1", "inconsistent"},
	} {
		_, err := analytics.ParseExpertWeights("ahp", bad.m)
		var me *model.Error
		if !errors.As(err, &me) || me.Field != "ahp" || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("matrix %q: got %v, want an error at ahp saying %q", bad.m, err, bad.want)
		}
	}
}
