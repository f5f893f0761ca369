package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestNewRequestSearchDocument: a creation tokenizes the request's text
// before its transaction and reads only the customer inside it; the
// document it writes is the one the search backfill writes from the
// stored rows, and holds every part people search a request by.
func TestNewRequestSearchDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, u := fixture(t, s) // 王芳, Fang@Example.com, 13800000001, serial SN0001
		r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
			Channel: model.ChannelAPI, Subject: "空调不制冷 KFR-35GW", Description: "压缩机异响，customer's unit won't start-",
			CustomerID: c.ID, Serial: u.Serial}, agent)
		if err != nil {
			t.Fatal(err)
		}
		created, err := s.RequestSearchDoc(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		number := strings.ToLower(strings.ReplaceAll(r.Number, "-", ""))
		for _, term := range []string{number, "制冷", "kfr35gw", "压缩", "异响", "start", "王芳", "fang", "13800000001", "sn0001"} {
			if !strings.Contains(created, term) {
				t.Errorf("search document %q lacks %q", created, term)
			}
		}
		if err := s.ReindexRequest(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		again, err := s.RequestSearchDoc(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again != created {
			t.Errorf("document written at creation:\n%s\nwritten from the stored rows:\n%s", created, again)
		}
		page, err := s.ListRequests(ctx, model.RequestFilter{Query: "13800000001 制冷 sn0001"})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].ID != r.ID {
			t.Errorf("search by phone, subject and serial found %d requests, want %s", len(page.Items), r.Number)
		}
	})
}

// TestSearchIndexOfABatch: creations that share one commit are all found
// by search (the writer runs their full-text writes after the batch's
// last job, by document), and the work of a transaction that failed after
// indexing a request is found nowhere.
func TestSearchIndexOfABatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, u := fixture(t, s)
		errBoom := errors.New("boom")
		commits := s.Commits()
		const n = 24
		errs := queued(t, s, n, func(i int) error {
			in := store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal, Channel: model.ChannelAPI,
				Subject: fmt.Sprintf("batchword %d", i), CustomerID: c.ID}
			if i%3 != 0 {
				_, err := s.CreateRequest(ctx, in, agent)
				return err
			}
			in.Subject = fmt.Sprintf("ghostword %d", i)
			return s.Tx(ctx, func(q store.Querier) error {
				if _, err := s.OpenDeviceRequestIn(ctx, q, u.Serial, fmt.Sprint("E", i), in, agent); err != nil {
					return err
				}
				return errBoom
			})
		})
		if s.Dialect() == store.SQLite && s.Commits()-commits > n/2 {
			t.Errorf("%d commits for %d transactions: they did not share commits", s.Commits()-commits, n+1)
		}
		for i, err := range errs {
			if want := i%3 == 0; want != errors.Is(err, errBoom) || !want && err != nil {
				t.Errorf("transaction %d: %v", i, err)
			}
		}
		count := func(q string) int {
			t.Helper()
			page, err := s.ListRequests(ctx, model.RequestFilter{Query: q, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Items)
		}
		if got := count("batchword"); got != n-n/3 {
			t.Errorf("search for the created requests found %d, want %d", got, n-n/3)
		}
		if got := count("ghostword"); got != 0 {
			t.Errorf("search found %d requests of failed transactions", got)
		}
		if got := count("batchword 7"); got != 1 {
			t.Errorf("search for one created request found %d", got)
		}
		if s.Dialect() == store.SQLite {
			if err := s.Tx(ctx, func(q store.Querier) error {
				_, err := q.Exec(ctx, "INSERT INTO request_fts (request_fts) VALUES ('integrity-check')")
				return err
			}); err != nil {
				t.Errorf("full-text index integrity: %v", err)
			}
		}
	})
}
