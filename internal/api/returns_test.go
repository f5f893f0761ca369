package api_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestReturnWindow checks the return window at its last day and the next,
// either side of midnight in the store's time zone (Asia/Shanghai): 23:30
// and 00:30 local are the same UTC date, so only a window counted in
// local days tells them apart.
func TestReturnWindow(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			url := ""
			if db == "postgres" {
				url = storetest.PostgresURL(t)
			}
			var clock atomic.Int64
			clock.Store(time.Now().UnixNano())
			f := newFixtureWith(t, apptest.Options{DatabaseURL: url, Now: func() time.Time { return time.Unix(0, clock.Load()) }})
			loc := shanghai(t)
			set := func(s string) {
				at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
				if err != nil {
					t.Fatal(err)
				}
				clock.Store(at.UnixNano())
			}
			f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units", f.agent, map[string]any{"serial": "SN-RET-1", "sku": "WM-100",
				"customer_id": f.aliceID, "purchased_at": "2026-02-25", "delivered_at": "2026-03-01"})
			ask := func(at, kind string, token string) api.Return {
				t.Helper()
				set(at)
				var r api.Request
				f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": kind,
					"subject": "changed my mind", "customer_id": f.aliceID, "serial": "SN-RET-1", "channel": "web"}).JSON(t, &r)
				var rt api.Return
				f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/return", token,
					map[string]any{"kind": kind, "reason": "不想要了"}, "Accept-Language", "en").JSON(t, &rt)
				return rt
			}
			// Delivered on the 1st: a 7-day return window ends on the 8th.
			if rt := ask("2026-03-08 23:30", "return", f.alice); rt.Decision != "approved" || rt.WindowEndsOn != "2026-03-08" ||
				rt.Status != "approved" {
				t.Errorf("last day, 23:30 local: got %+v, want approved, window ends 2026-03-08", rt)
			}
			rt := ask("2026-03-09 00:30", "return", f.alice)
			if rt.Decision != "rejected" || rt.WindowEndsOn != "2026-03-08" || !strings.Contains(rt.Reason, "2026-03-08") {
				t.Errorf("next day, 00:30 local: got %+v, want rejected with the window's end as reason", rt)
			}
			f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/returns/"+itoa(rt.ID)+"/status", f.agent, map[string]any{"status": "received"})
			// The 15-day exchange window is still open.
			ex := ask("2026-03-09 00:30", "exchange", f.alice)
			if ex.Decision != "approved" || ex.WindowEndsOn != "2026-03-16" {
				t.Errorf("exchange on day 8: got %+v, want approved until 2026-03-16", ex)
			}
			for _, st := range []string{"received", "inspected"} {
				f.mustStatus(t, http.StatusOK, "POST", "/api/v1/returns/"+itoa(ex.ID)+"/status", f.agent, map[string]any{"status": st})
			}
			f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/returns/"+itoa(ex.ID)+"/status", f.agent,
				map[string]any{"status": "refunded", "refund_amount": 100})
			var done api.Return
			f.mustStatus(t, http.StatusOK, "POST", "/api/v1/returns/"+itoa(ex.ID)+"/status", f.agent,
				map[string]any{"status": "replaced", "replacement_serial": "SN-RET-2"}).JSON(t, &done)
			if done.Status != "replaced" || done.ReplacementSerial != "SN-RET-2" || done.ClosedAt == nil {
				t.Errorf("replaced: got %+v", done)
			}

			// A policy that routes late returns to an agent.
			f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/return-policies/washer", f.manager,
				map[string]any{"return_days": 7, "exchange_days": 15, "outside_window": "review"})
			rev := ask("2026-03-09 00:30", "return", f.agent)
			if rev.Decision != "review" || rev.Status != "review" {
				t.Fatalf("outside with review: got %+v", rev)
			}
			f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/returns/"+itoa(rev.ID)+"/status", f.agent, map[string]any{"status": "received"})
			f.mustStatus(t, http.StatusOK, "POST", "/api/v1/returns/"+itoa(rev.ID)+"/decision", f.agent,
				map[string]any{"approved": true, "reason": "long-time customer"})
			for _, st := range []string{"received", "inspected"} {
				f.mustStatus(t, http.StatusOK, "POST", "/api/v1/returns/"+itoa(rev.ID)+"/status", f.agent, map[string]any{"status": st})
			}
			f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/returns/"+itoa(rev.ID)+"/status", f.agent,
				map[string]any{"status": "refunded"})
			f.mustStatus(t, http.StatusOK, "POST", "/api/v1/returns/"+itoa(rev.ID)+"/status", f.agent,
				map[string]any{"status": "refunded", "refund_amount": 199900}).JSON(t, &done)
			if done.Status != "refunded" || done.RefundAmount != 199900 || done.Currency != "CNY" {
				t.Errorf("refunded: got %+v", done)
			}

			// Customers ask for their own requests only and see their own
			// returns; the request's timeline shows the steps.
			f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/returns/"+itoa(rev.ID), f.bob, nil)
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/returns/"+itoa(rev.ID), f.alice, nil)
			f.mustStatus(t, http.StatusNotFound, "POST", "/api/v1/requests/"+rev.RequestNumber+"/return", f.bob,
				map[string]any{"kind": "return"})
			f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/requests/"+rev.RequestNumber+"/return", f.agent,
				map[string]any{"kind": "return"})
			n := 0
			for _, e := range f.getRequest(t, f.alice, rev.RequestNumber).Timeline {
				if e.Kind == "return" {
					n++
				}
			}
			if n != 5 {
				t.Errorf("return events on the timeline: got %d, want 5 (review, approved, received, inspected, refunded)", n)
			}

			// Staff list them by status; customers cannot list.
			var list struct{ Items []api.Return }
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/returns?status=rejected", f.agent, nil).JSON(t, &list)
			if len(list.Items) != 1 || list.Items[0].ID != rt.ID {
				t.Errorf("rejected returns: got %+v, want the one rejected by the window (%d)", list.Items, rt.ID)
			}
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/returns", f.agent, nil).JSON(t, &list)
			if len(list.Items) != 4 {
				t.Errorf("all returns: got %d, want 4", len(list.Items))
			}
			f.mustStatus(t, http.StatusUnprocessableEntity, "GET", "/api/v1/returns?status=lost", f.agent, nil)
			f.mustStatus(t, http.StatusForbidden, "GET", "/api/v1/returns", f.alice, nil)
		})
	}
}
