package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestEnsureSurveyTemplateAtOnce: nodes that start together each make
// sure the default survey template exists; every one of them must succeed
// (on PostgreSQL the loser's insert used to abort its transaction, and
// the node exited with "commit unexpectedly resulted in rollback"), and
// there is one version 1.
func TestEnsureSurveyTemplateAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if err := s.EnsureSurveyTemplate(ctx, &model.SurveyTemplate{TitleZh: "调查", TitleEn: "Survey"}); err != nil {
					t.Errorf("ensure: %v", err)
				}
			}()
		}
		close(start)
		wg.Wait()
		var n int
		if err := s.Read().QueryRow(ctx, "SELECT COUNT(*) FROM survey_templates").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d templates (err %v), want 1", n, err)
		}
	})
}
