package demo

import (
	"context"
	"fmt"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store"
)

// hotlineCalendarName is the round-the-clock calendar of the premium
// hotline.
const hotlineCalendarName = "Premium hotline – 24/7"

// slaHistoryDays is how far back the demo gives requests their SLA
// clocks (open requests get them whenever opened).
const slaHistoryDays = 75

func ip(v int) *int { return &v }

// seedSLA adds the customer tiers with their commitments, gives the
// customers tiers, stores a policy per tier (the overseas team on the US
// calendar, urgent premium work on a round-the-clock hotline) and
// rebuilds the clocks of recent (the last historyDays) and open requests
// from their timelines,
// so the queue, the request pages and the report show met, breached,
// paused and running clocks. One fresh urgent premium request of the demo
// customer is due within the hour.
func seedSLA(ctx context.Context, st *store.Store, cn, us int64, overseasTeamID int64, historyDays int) (tiers, policies, clocks int, err error) {
	admin := model.Principal{Kind: model.KindStaff, Name: "demo", Role: model.RoleAdmin}
	cals := calendar.NewService(st)
	svc := sla.New(st, cals, nil)
	for _, t := range []model.Tier{
		{Key: "basic", Name: "Basic", NameZH: "基础", Position: 1, ResponseMinutes: ip(480), ResolutionMinutes: ip(4800),
			Compensation: "An apology and priority on your next request.", CompensationZH: "致歉，并在下次服务时优先处理。"},
		{Key: "standard", Name: "Standard", NameZH: "标准", Position: 2, ResponseMinutes: ip(240), ResolutionMinutes: ip(1920),
			Compensation: "A 30 CNY voucher when we miss a promise.", CompensationZH: "未达承诺时赠送 30 元代金券。"},
		{Key: "premium", Name: "Premium", NameZH: "尊享", Position: 3, ResponseMinutes: ip(60), ResolutionMinutes: ip(960),
			Compensation: "A 100 CNY voucher and a free home visit when we miss a promise.", CompensationZH: "未达承诺时赠送 100 元代金券，并免费上门一次。"},
	} {
		if _, err := svc.SaveTier(ctx, admin, t); err != nil {
			return 0, 0, 0, fmt.Errorf("tier %s: %w", t.Key, err)
		}
		tiers++
	}
	if err := st.SeedCustomerTiers(ctx); err != nil {
		return 0, 0, 0, err
	}
	day := [][]string{{"00:00", "24:00"}}
	hotline, err := cals.Create(ctx, admin, calendar.CreateInput{Input: calendar.Input{Name: hotlineCalendarName, TimeZone: "Asia/Shanghai",
		Hours: map[string][][]string{"mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": day, "sun": day}}})
	if err != nil {
		return 0, 0, 0, err
	}
	for _, p := range []sla.PolicyInput{
		{Name: "Premium – urgent (24/7 hotline)", Position: 10, CalendarID: hotline.ID,
			Conditions:           model.SLAConditions{Tier: "premium", Priority: model.PriorityUrgent},
			FirstResponseMinutes: 30, NextResponseMinutes: ip(60), ResolutionMinutes: 480, WarnBeforeMinutes: ip(15),
			PauseStatuses: []model.Status{model.StatusPending, model.StatusOnHold}},
		{Name: "Overseas (US business days)", Position: 20, CalendarID: us, Conditions: model.SLAConditions{TeamID: overseasTeamID},
			FirstResponseMinutes: 240, NextResponseMinutes: ip(480), ResolutionMinutes: 2400, WarnBeforeMinutes: ip(60)},
		{Name: "Premium", Position: 30, CalendarID: cn, Conditions: model.SLAConditions{Tier: "premium"},
			FirstResponseMinutes: 60, NextResponseMinutes: ip(120), ResolutionMinutes: 960, WarnBeforeMinutes: ip(30),
			PauseStatuses: []model.Status{model.StatusPending, model.StatusOnHold}},
		{Name: "Standard", Position: 40, CalendarID: cn, Conditions: model.SLAConditions{Tier: "standard"},
			FirstResponseMinutes: 240, NextResponseMinutes: ip(480), ResolutionMinutes: 1920, WarnBeforeMinutes: ip(60)},
		{Name: "Basic", Position: 50, CalendarID: cn,
			FirstResponseMinutes: 480, ResolutionMinutes: 4800, WarnBeforeMinutes: ip(120)},
	} {
		if _, err := svc.CreatePolicy(ctx, admin, p); err != nil {
			return 0, 0, 0, fmt.Errorf("policy %s: %w", p.Name, err)
		}
		policies++
	}
	now := st.Now()
	ids, err := st.RequestIDsForSLA(ctx, now.AddDate(0, 0, -historyDays))
	if err != nil {
		return 0, 0, 0, err
	}
	for _, id := range ids {
		if err := svc.Rebuild(ctx, id); err != nil {
			return 0, 0, 0, fmt.Errorf("sla of request %d: %w", id, err)
		}
	}
	// A fresh urgent request of the demo customer (premium), on the
	// round-the-clock hotline: due within the hour whatever the day.
	r, err := st.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityUrgent,
		Channel: model.ChannelPhone, Subject: "洗衣机漏水，地板已被淹 / Washer leaking, floor flooded",
		Description: "客户来电：脱水时大量漏水。", CustomerID: 1},
		store.Actor{Kind: model.AuthorSystem, Name: "demo", Channel: model.ChannelPhone})
	if err != nil {
		return 0, 0, 0, err
	}
	// Without the app's hooks (aftercare demo) it has no clocks yet.
	if err := svc.Rebuild(ctx, r.ID); err != nil {
		return 0, 0, 0, err
	}
	return tiers, policies, len(ids) + 1, nil
}
