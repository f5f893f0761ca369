package analytics_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// TestStoredExpertWeights: an admin stores an AHP matrix once; every
// manager's index then uses its weights by default (entropy weights on
// request), with the consistency ratio and who entered it; an
// inconsistent matrix is refused with its CR and nothing is stored; a
// manager may not store; a malformed matrix's message is translated;
// clearing goes back to entropy weights.
func TestStoredExpertWeights(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seed(t, s, 600)
		svc := analytics.New(s)
		admin := model.Principal{Kind: model.KindStaff, Name: "周明", Role: model.RoleAdmin}
		period, _ := model.ParsePeriod("", "", s.Location(), now)
		index := func(entropy bool) analytics.Index {
			t.Helper()
			ew, err := svc.ChooseWeights(ctx, manager, "ahp", "", entropy)
			if err != nil {
				t.Fatal(err)
			}
			idx, err := svc.IndexWith(ctx, manager, period, analytics.ByTeam, ew, "en")
			if err != nil {
				t.Fatal(err)
			}
			return idx
		}
		if idx := index(false); idx.WeightSource != "entropy" || idx.Expert != nil {
			t.Fatalf("before any are stored: %s weights, want entropy", idx.WeightSource)
		}
		m := "1,1/3,1,1,1,1; 3,1,3,3,3,3; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1"
		if _, err := svc.SaveWeights(ctx, manager, m); model.ErrorCode(err) != model.EFORBIDDEN {
			t.Errorf("a manager stores weights: %v, want forbidden", err)
		}
		inconsistent := "1,9,1/9,1,1,1; 1/9,1,9,1,1,1; 9,1/9,1,1,1,1; 1,1,1,1,1,1; 1,1,1,1,1,1; 1,1,1,1,1,1"
		_, err := svc.SaveWeights(ctx, admin, inconsistent)
		if model.ErrorCode(err) != model.EINVALID || !strings.Contains(err.Error(), "CR ") || !strings.Contains(err.Error(), "below 0.10") {
			t.Errorf("inconsistent matrix: %v, want refused with its CR", err)
		}
		if _, err := svc.SaveWeights(ctx, admin, m); err != nil {
			t.Fatal(err)
		}
		idx := index(false)
		if idx.WeightSource != "given" || idx.Expert == nil || !idx.Expert.Stored || idx.Expert.EnteredBy != "周明" ||
			!close6(idx.Weights[1], 3.0/8) || idx.Expert.CR > 1e-9 {
			t.Errorf("index with stored weights: source %s, expert %+v, weights %v", idx.WeightSource, idx.Expert, idx.Weights)
		}
		if idx := index(true); idx.WeightSource != "entropy" {
			t.Errorf("entropy asked for: %s weights", idx.WeightSource)
		}
		// The refused matrix did not replace the stored one; a new one
		// does.
		if _, err := svc.SaveWeights(ctx, admin, "1,2;1/2,1"); err == nil {
			t.Error("a 2×2 matrix was stored")
		}
		if ew, _ := svc.StoredWeights(ctx, manager); ew == nil || ew.Matrix != m {
			t.Errorf("stored: %+v, want the consistent matrix", ew)
		}
		// Malformed: the message names row and column, in Chinese too.
		_, err = svc.SaveWeights(ctx, admin, "1,x,1,1,1,1;1,1,1,1,1,1;1,1,1,1,1,1;1,1,1,1,1,1;1,1,1,1,1,1;1,1,1,1,1,1")
		b, lerr := i18n.Load()
		if lerr != nil {
			t.Fatal(lerr)
		}
		if got := b.Error(i18n.ZhCN, err); !strings.Contains(got, `第 1 行第 2 列："x" 不是数字或分数`) {
			t.Errorf("malformed matrix in Chinese: %q (%v)", got, err)
		}
		if got := b.Error(i18n.ZhCN, func() error { _, err := svc.SaveWeights(ctx, admin, inconsistent); return err }()); !strings.Contains(got, "判断不一致") {
			t.Errorf("inconsistent matrix in Chinese: %q", got)
		}
		if err := svc.ClearWeights(ctx, admin); err != nil {
			t.Fatal(err)
		}
		if idx := index(false); idx.WeightSource != "entropy" {
			t.Errorf("after clearing: %s weights, want entropy", idx.WeightSource)
		}
	})
}
