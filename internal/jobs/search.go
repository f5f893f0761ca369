package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/aftercare/aftercare/internal/store"
)

// SearchRecentIndexArgs keeps PostgreSQL's recent search index over the
// newest requests (store.RefreshRecentSearchIndex).
type SearchRecentIndexArgs struct{}

// Kind implements river.JobArgs.
func (SearchRecentIndexArgs) Kind() string { return "search_recent_index" }

type searchRecentIndexWorker struct {
	river.WorkerDefaults[SearchRecentIndexArgs]
	store *store.Store
	log   *slog.Logger
}

// Timeout allows the index build its time: at a million requests one
// span of them takes about 15 s, and more on a busy database.
func (w *searchRecentIndexWorker) Timeout(*river.Job[SearchRecentIndexArgs]) time.Duration {
	return 30 * time.Minute
}

func (w *searchRecentIndexWorker) Work(ctx context.Context, _ *river.Job[SearchRecentIndexArgs]) error {
	t, err := w.store.RefreshRecentSearchIndex(ctx)
	if err == nil && t > 0 {
		w.log.Debug("recent search index", "from_request_id", t)
	}
	return err
}

// addSearchJobs registers the hourly upkeep of the recent search index
// on PostgreSQL (SQLite has none) and returns its periodic job, or nil.
func addSearchJobs(workers *river.Workers, st *store.Store, log *slog.Logger) *river.PeriodicJob {
	if st.Dialect() != store.Postgres {
		return nil
	}
	river.AddWorker(workers, &searchRecentIndexWorker{store: st, log: log})
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return SearchRecentIndexArgs{}, nil },
		&river.PeriodicJobOpts{ID: "search_recent_index", RunOnStart: true})
}
