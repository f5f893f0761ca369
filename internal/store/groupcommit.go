package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// Group commit on SQLite.
//
// SQLite has one write connection, so write transactions run one after
// the other whatever happens. Instead of one BEGIN … COMMIT each, Tx hands
// its work to the writer goroutine, which takes every transaction waiting
// at that moment (up to maxBatch), runs each inside its own SAVEPOINT of
// one SQLite transaction and commits once. A caller whose work fails is
// rolled back to its savepoint and answered at once; the others are
// answered only after the COMMIT has returned, so a successful Tx still
// means "committed", with the same synchronous setting as before. The
// gain is the per-commit work: one WAL append for pages that several
// transactions touched (the request counter, index and full-text pages)
// instead of one per transaction.

// maxBatch bounds how many transactions share one commit, so the first
// of a batch waits for at most maxBatch-1 others.
const maxBatch = 64

// savepointName is the savepoint around each caller's work; fn's own
// savepoints (River uses some) nest inside it.
const savepointName = "aftercare_tx"

// errBatchAborted answers callers whose work succeeded in a batch whose
// transaction SQLite rolled back because of another caller's statement (an
// interrupt or an I/O error): nothing of theirs was written, and trying
// again may succeed.
var errBatchAborted = &unavailableError{err: errors.New("store: the shared transaction was rolled back by another change; nothing was written")}

// txJob is one caller's transaction waiting for the writer.
type txJob struct {
	ctx  context.Context
	fn   func(q Querier) error
	cs   *changeSet
	done chan txResult // buffered: the writer never waits for the caller
	fts  []ftsWrite    // its writes to full-text tables, run at the end of the batch
}

// ftsWrite is a statement on an FTS5 table, with its rowid ($1) and
// terms ($2), that a job left for the end of its batch.
//
// FTS5 keeps the terms written in a transaction in memory and writes them
// to its index as one new segment at commit, but only while the rowids it
// is given go up; a rowid not above the last one, and every SAVEPOINT and
// RELEASE, make it write what it holds first. A request's document has
// rowid -id, so each creation's document went down, and was written as a
// small segment of its own that FTS5 then spent its time merging (a
// seventh of serve's CPU in a create profile, in the writer). So the jobs'
// full-text writes run after the last job's RELEASE, by rowid (writes to
// the same rowid in the jobs' order; writes to different documents do not
// depend on each other), and a batch's documents reach the index as one
// segment. Nothing reads the full-text index inside a write transaction
// (searches use the read pool), and the documents' rows
// (request_search_docs) are written in the job itself, so what a job sees
// does not change. A job rolled back to its savepoint leaves its
// full-text writes unrun.
type ftsWrite struct {
	query string
	rowid int64
	terms string
}

// execFTS runs query, a statement on an FTS5 table with rowid as $1 and
// terms as $2, in q, or, in a job of the SQLite group commit, leaves it
// for the end of the job's batch.
func execFTS(ctx context.Context, q Querier, query string, rowid int64, terms string) error {
	if sq, ok := q.(sqlQuerier); ok && sq.fts != nil {
		*sq.fts = append(*sq.fts, ftsWrite{query: query, rowid: rowid, terms: terms})
		return nil
	}
	_, err := q.Exec(ctx, query, rowid, terms)
	return err
}

// txResult is what the writer answers: fn's error, the commit's, or the
// panic fn raised (re-raised on the caller's goroutine).
type txResult struct {
	err      error
	panicked bool
	panicVal any
}

// writer is the goroutine that owns SQLite's write transactions.
type writer struct {
	jobs     chan *txJob // unbuffered: a caller still sending may give up
	stop     chan struct{}
	exited   chan struct{}
	stopOnce sync.Once
	commits  atomic.Int64 // COMMITs that succeeded, for tests
}

// startWriter starts the writer goroutine of a SQLite store.
func (s *Store) startWriter() {
	s.w = &writer{jobs: make(chan *txJob), stop: make(chan struct{}), exited: make(chan struct{})}
	go s.writeLoop()
}

// stopWriter stops the writer after the batch it is running, if any.
func (s *Store) stopWriter() {
	if s.w == nil {
		return
	}
	s.w.stopOnce.Do(func() { close(s.w.stop) })
	<-s.w.exited
}

// sqliteTx is Tx on SQLite: fn goes to the writer, and the caller waits
// for its answer. A caller whose context ends while it waits for the
// writer gives up with the context's error, and fn never runs; once the
// writer has taken fn, the caller waits for the commit, so an answer
// always says what happened.
func (s *Store) sqliteTx(ctx context.Context, fn func(q Querier) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: begin: %w", mapError(err))
	}
	j := &txJob{ctx: ctx, fn: fn, cs: s.newChangeSet(), done: make(chan txResult, 1)}
	select {
	case s.w.jobs <- j:
	case <-ctx.Done():
		return fmt.Errorf("store: begin: %w", mapError(ctx.Err()))
	case <-s.w.stop:
		return fmt.Errorf("store: begin: %w", &unavailableError{err: sql.ErrConnDone})
	}
	r := <-j.done
	if r.panicked {
		panic(r.panicVal)
	}
	if r.err != nil {
		return r.err
	}
	s.announce(ctx, j.cs)
	return nil
}

// writeLoop takes the transactions waiting at each moment and runs them
// as one batch, until the store is closed.
func (s *Store) writeLoop() {
	defer close(s.w.exited)
	batch := make([]*txJob, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case j := <-s.w.jobs:
			batch = append(batch, j)
		case <-s.w.stop:
			return
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case j := <-s.w.jobs:
				batch = append(batch, j)
			default:
				break fill
			}
		}
		for len(batch) > 0 {
			batch = s.runBatch(batch)
		}
	}
}

// runBatch runs jobs in one transaction and answers each. If SQLite
// rolled the transaction back midway, the jobs that had not run yet are
// returned, to run in a new transaction.
func (s *Store) runBatch(jobs []*txJob) (rest []*txJob) {
	bg := context.Background() // a caller's end must not interrupt the others' work
	tx, err := s.wdb.BeginTx(bg, nil)
	if err != nil {
		for _, j := range jobs {
			j.done <- txResult{err: fmt.Errorf("store: begin: %w", mapError(err))}
		}
		return nil
	}
	var ok []*txJob // ran without error, answered after commit
	for i, j := range jobs {
		if err := j.ctx.Err(); err != nil {
			j.done <- txResult{err: fmt.Errorf("store: begin: %w", mapError(err))}
			continue
		}
		r, intact := s.runJob(bg, tx, j)
		if !intact {
			_ = tx.Rollback()
			if r.err == nil && !r.panicked {
				r.err = errBatchAborted
			}
			j.done <- r
			for _, o := range ok {
				o.done <- txResult{err: errBatchAborted}
			}
			return jobs[i+1:]
		}
		if r.err != nil || r.panicked {
			j.done <- r // rolled back to its savepoint: nothing of it is written
			continue
		}
		ok = append(ok, j)
	}
	if err := runFTS(bg, tx, ok); err != nil {
		_ = tx.Rollback()
		for _, j := range ok {
			j.done <- txResult{err: err}
		}
		return nil
	}
	err = tx.Commit()
	if err != nil {
		err = fmt.Errorf("store: commit: %w", mapError(err))
	} else {
		s.w.commits.Add(1)
	}
	for _, j := range ok {
		j.done <- txResult{err: err}
	}
	return nil
}

// runJob runs one job's fn inside a savepoint of tx, rolling back to it
// if fn fails or panics. intact is false when the transaction itself is
// gone (SQLite rolls a whole transaction back on some errors, such as an
// interrupted write), so the batch cannot go on.
func (s *Store) runJob(ctx context.Context, tx *sql.Tx, j *txJob) (r txResult, intact bool) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+savepointName); err != nil {
		return txResult{err: fmt.Errorf("store: begin: %w", mapError(err))}, false
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				r = txResult{panicked: true, panicVal: p}
			}
		}()
		r.err = j.fn(sqlQuerier{q: tx, changed: j.cs, detached: true, fts: &j.fts})
	}()
	if r.err == nil && !r.panicked {
		_, err := tx.ExecContext(ctx, "RELEASE "+savepointName)
		return r, err == nil
	}
	_, err1 := tx.ExecContext(ctx, "ROLLBACK TO "+savepointName)
	_, err2 := tx.ExecContext(ctx, "RELEASE "+savepointName)
	return r, err1 == nil && err2 == nil
}

// runFTS runs the full-text writes of the jobs that succeeded, by rowid
// and outside any savepoint (see ftsWrite). If one fails, the batch's
// transaction must be rolled back: the error is every such job's answer.
func runFTS(ctx context.Context, tx *sql.Tx, jobs []*txJob) error {
	var all []ftsWrite
	for _, j := range jobs {
		all = append(all, j.fts...)
	}
	slices.SortStableFunc(all, func(a, b ftsWrite) int { return cmp.Compare(a.rowid, b.rowid) })
	q := sqlQuerier{q: tx, detached: true}
	for _, w := range all {
		if _, err := q.Exec(ctx, w.query, w.rowid, w.terms); err != nil {
			return fmt.Errorf("store: search index: %w", err)
		}
	}
	return nil
}
