package parts_test

import (
	"context"
	"sync"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/parts"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// world is a store with two centres (BJ, SH), a part and staff of each
// kind that moves stock.
type world struct {
	st               *store.Store
	svc              *parts.Service
	admin, bjManager model.Principal
	bj, sh           *model.ServiceCentre
}

func newWorld(t *testing.T, st *store.Store) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{st: st, svc: parts.NewService(st, nil, "CNY")}
	for _, c := range []**model.ServiceCentre{&w.bj, &w.sh} {
		code := "BJ"
		if c == &w.sh {
			code = "SH"
		}
		*c = &model.ServiceCentre{Code: code, Name: code, Lat: 30, Lng: 120, TimeZone: "Asia/Shanghai", DailyCapacity: 10}
		if err := st.CreateCentre(ctx, *c); err != nil {
			t.Fatal(err)
		}
	}
	admin := &model.User{Email: "admin@example.com", Name: "Admin", Role: model.RoleAdmin, Active: true}
	mgr := &model.User{Email: "cm@example.com", Name: "Wang", Role: model.RoleCentreManager, CentreID: &w.bj.ID, Active: true}
	for _, u := range []*model.User{admin, mgr} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	w.admin = model.Principal{Kind: model.KindStaff, ID: admin.ID, Name: admin.Name, Role: admin.Role}
	w.bjManager = model.Principal{Kind: model.KindStaff, ID: mgr.ID, Name: mgr.Name, Role: mgr.Role, CentreID: w.bj.ID}
	if _, err := w.svc.CreatePart(ctx, w.admin, parts.PartInput{PartNo: "LCD-1", Name: "Screen", CompatibleSKUs: []string{"CAM-1"},
		Cost: 12000, Price: 25000}); err != nil {
		t.Fatal(err)
	}
	return w
}

// checkLedger fails unless the ledger of a line adds up to it and no row
// left it negative or over-reserved.
func (w *world) checkLedger(t *testing.T, centre string, wantOnHand, wantReserved int64) {
	t.Helper()
	l, err := w.svc.StockLine(context.Background(), w.admin, centre, "LCD-1")
	if err != nil {
		t.Fatal(err)
	}
	var on, res int64
	for _, m := range l.Ledger {
		on += m.OnHandDelta
		res += m.ReservedDelta
		if m.OnHandAfter != on || m.ReservedAfter != res {
			t.Errorf("%s ledger row %d (%s): after %d/%d, running sum %d/%d", centre, m.ID, m.Kind, m.OnHandAfter, m.ReservedAfter, on, res)
		}
		if on < 0 || res < 0 || res > on {
			t.Errorf("%s ledger row %d (%s): on hand %d, reserved %d", centre, m.ID, m.Kind, on, res)
		}
	}
	if on != l.Level.OnHand || res != l.Level.Reserved {
		t.Errorf("%s: ledger sums to %d on hand, %d reserved; the line says %d, %d", centre, on, res, l.Level.OnHand, l.Level.Reserved)
	}
	if l.Level.OnHand != wantOnHand || l.Level.Reserved != wantReserved {
		t.Errorf("%s: got %d on hand, %d reserved, want %d, %d", centre, l.Level.OnHand, l.Level.Reserved, wantOnHand, wantReserved)
	}
}

// TestConcurrentReservations: 20 repairs reserve one unit each at once
// against 5 available; exactly 5 succeed, the others are told there is
// not enough stock, and the ledger holds exactly the 5.
func TestConcurrentReservations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		if _, _, err := w.svc.Move(ctx, w.admin, "BJ", parts.MoveInput{PartNo: "LCD-1", Quantity: 5, Kind: model.MoveReceive}); err != nil {
			t.Fatal(err)
		}
		const n = 20
		start := make(chan struct{})
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, _, errs[i] = w.svc.Reserve(ctx, w.bjManager, parts.UseInput{Centre: "BJ", PartNo: "LCD-1", Quantity: 1, RepairID: int64(100 + i)})
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch code := model.ErrorCode(err); code {
			case "":
				ok++
			case model.ECONFLICT:
			default:
				t.Errorf("reservation %d: got %v, want success or a conflict", i, err)
			}
		}
		if ok != 5 {
			t.Errorf("got %d successful reservations, want 5", ok)
		}
		w.checkLedger(t, "BJ", 5, 5)
		l, _ := w.svc.StockLine(ctx, w.admin, "BJ", "LCD-1")
		if got := len(l.Ledger); got != 6 {
			t.Errorf("ledger rows: got %d, want 6 (a receipt and 5 reservations)", got)
		}
	})
}

// TestStockNeverNegative walks a part through its life at two centres
// and checks every refusal and the ledger after each step.
func TestStockNeverNegative(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		p := w.bjManager
		repair := func(id int64, q int64) parts.UseInput {
			return parts.UseInput{Centre: "BJ", PartNo: "LCD-1", Quantity: q, RepairID: id}
		}
		steps := []struct {
			name             string
			do               func() error
			wantCode         string
			onHand, reserved int64
		}{
			{"receive 4", func() error {
				_, _, err := w.svc.Move(ctx, p, "BJ", parts.MoveInput{PartNo: "LCD-1", Quantity: 4, Kind: model.MoveReceive, Note: "PO 17"})
				return err
			}, "", 4, 0},
			{"repair 1 reserves 3", func() error { _, _, err := w.svc.Reserve(ctx, p, repair(1, 3)); return err }, "", 4, 3},
			{"repair 2 cannot reserve 2 of 1 available", func() error { _, _, err := w.svc.Reserve(ctx, p, repair(2, 2)); return err }, model.ECONFLICT, 4, 3},
			{"an adjustment cannot take reserved units", func() error {
				_, _, err := w.svc.Move(ctx, p, "BJ", parts.MoveInput{PartNo: "LCD-1", Quantity: -2, Kind: model.MoveAdjust, Note: "stocktake"})
				return err
			}, model.ECONFLICT, 4, 3},
			{"an adjustment needs a reason", func() error {
				_, _, err := w.svc.Move(ctx, p, "BJ", parts.MoveInput{PartNo: "LCD-1", Quantity: -1, Kind: model.MoveAdjust})
				return err
			}, model.EINVALID, 4, 3},
			{"stocktake finds one missing", func() error {
				_, _, err := w.svc.Move(ctx, p, "BJ", parts.MoveInput{PartNo: "LCD-1", Quantity: -1, Kind: model.MoveAdjust, Note: "stocktake"})
				return err
			}, "", 3, 3},
			{"repair 2 cannot consume what it never reserved", func() error { _, _, err := w.svc.Consume(ctx, p, repair(2, 1)); return err }, model.ECONFLICT, 3, 3},
			{"repair 1 fits 2", func() error { _, _, err := w.svc.Consume(ctx, p, repair(1, 2)); return err }, "", 1, 1},
			{"repair 1 cannot consume 2 more", func() error { _, _, err := w.svc.Consume(ctx, p, repair(1, 2)); return err }, model.ECONFLICT, 1, 1},
			{"repair 1 releases the last", func() error { _, _, err := w.svc.Release(ctx, p, repair(1, 1)); return err }, "", 1, 0},
			{"nothing left to release", func() error { _, _, err := w.svc.Release(ctx, p, repair(1, 1)); return err }, model.ECONFLICT, 1, 0},
			{"cannot transfer 2 of 1", func() error {
				_, _, err := w.svc.Transfer(ctx, p, "BJ", parts.TransferInput{PartNo: "LCD-1", Quantity: 2, To: "SH"})
				return err
			}, model.ECONFLICT, 1, 0},
			{"transfer 1 to SH", func() error {
				_, _, err := w.svc.Transfer(ctx, p, "BJ", parts.TransferInput{PartNo: "LCD-1", Quantity: 1, To: "SH", Note: "SH short"})
				return err
			}, "", 0, 0},
			{"the BJ manager cannot send SH's stock", func() error {
				_, _, err := w.svc.Transfer(ctx, p, "SH", parts.TransferInput{PartNo: "LCD-1", Quantity: 1, To: "BJ"})
				return err
			}, model.EFORBIDDEN, 0, 0},
		}
		for _, s := range steps {
			if got := model.ErrorCode(s.do()); got != s.wantCode {
				t.Fatalf("%s: got error code %q, want %q", s.name, got, s.wantCode)
			}
			w.checkLedger(t, "BJ", s.onHand, s.reserved)
		}
		w.checkLedger(t, "SH", 1, 0)
		l, err := w.svc.StockLine(ctx, w.admin, "SH", "LCD-1")
		if err != nil {
			t.Fatal(err)
		}
		if m := l.Ledger[0]; m.Kind != model.MoveTransfer || m.Quantity != 1 || m.CounterpartCode != "BJ" || m.Note != "SH short" || m.ActorName != "Wang" {
			t.Errorf("SH's transfer row: got %+v, want +1 from BJ by Wang, note kept", m)
		}
		if m := l.Ledger[0]; m.UnitCost != 12000 {
			t.Errorf("unit cost on the ledger: got %d, want 12000", m.UnitCost)
		}
	})
}

func TestReorderAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		if _, err := w.svc.SetReorderPoint(ctx, w.bjManager, "BJ", "LCD-1", 2); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetReorderPoint(ctx, w.bjManager, "SH", "LCD-1", 2); model.ErrorCode(err) != model.EFORBIDDEN {
			t.Errorf("BJ's manager setting SH's reorder point: got %v, want forbidden", err)
		}
		alerts := func() int {
			t.Helper()
			ls, err := w.svc.Alerts(ctx, w.admin, "")
			if err != nil {
				t.Fatal(err)
			}
			return len(ls)
		}
		if n := alerts(); n != 1 {
			t.Fatalf("nothing in stock, reorder point 2: got %d alerts, want 1", n)
		}
		if _, _, err := w.svc.Move(ctx, w.admin, "BJ", parts.MoveInput{PartNo: "LCD-1", Quantity: 3, Kind: model.MoveReceive}); err != nil {
			t.Fatal(err)
		}
		if n := alerts(); n != 0 {
			t.Fatalf("3 available above reorder point 2: got %d alerts, want 0", n)
		}
		// Reserving brings available down to the reorder point: alert.
		if _, _, err := w.svc.Reserve(ctx, w.admin, parts.UseInput{Centre: "BJ", PartNo: "LCD-1", Quantity: 1, RepairID: 9}); err != nil {
			t.Fatal(err)
		}
		if n := alerts(); n != 1 {
			t.Errorf("2 available at reorder point 2: got %d alerts, want 1", n)
		}
	})
}

func TestPartRules(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	w := newWorld(t, st)
	for _, c := range []struct {
		in    parts.PartInput
		field string
	}{
		{parts.PartInput{PartNo: "bad no", Name: "x"}, "part_no"},
		{parts.PartInput{PartNo: "P-2"}, "name"},
		{parts.PartInput{PartNo: "P-2", Name: "x", Cost: -1}, "cost"},
		{parts.PartInput{PartNo: "P-2", Name: "x", Currency: "USD"}, "currency"},
	} {
		_, err := w.svc.CreatePart(ctx, w.admin, c.in)
		var e *model.Error
		if !asError(err, &e) || e.Field != c.field {
			t.Errorf("%+v: got %v, want an error on %s", c.in, err, c.field)
		}
	}
	if _, err := w.svc.CreatePart(ctx, w.admin, parts.PartInput{PartNo: "LCD-1", Name: "again"}); model.ErrorCode(err) != model.ECONFLICT {
		t.Errorf("duplicate part number: got %v, want conflict", err)
	}
	if _, err := w.svc.CreatePart(ctx, w.bjManager, parts.PartInput{PartNo: "P-3", Name: "x"}); model.ErrorCode(err) != model.EFORBIDDEN {
		t.Errorf("a centre manager adding a part: got %v, want forbidden", err)
	}
	upd, err := w.svc.UpdatePart(ctx, w.admin, "LCD-1", parts.PartUpdate{Price: ptr(int64(26000))})
	if err != nil || upd.Price != 26000 || upd.Cost != 12000 || len(upd.CompatibleSKUs) != 1 {
		t.Errorf("price change: got %+v, %v", upd, err)
	}
}

func ptr[T any](v T) *T { return &v }
