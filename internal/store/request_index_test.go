package store_test

import (
	"context"
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
