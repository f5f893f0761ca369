package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/webhook"
)

// recentRequest is what the webhook history needs of a generated request.
type recentRequest struct {
	number           string
	status           model.Status
	created, updated time.Time
}

// webhookHistory makes three webhooks (an order system, a CRM, a chat
// bot) and a week of deliveries to the first two: most delivered at the
// first attempt, some after retries, one that failed every attempt and
// was then redelivered by hand, one that failed for good. The webhooks
// are paused: their example.com receivers do not exist, and a demo must
// not send anything anywhere until an admin points one at a real
// endpoint and activates it.
func (g *gen) webhookHistory(recent []recentRequest) ([]*model.Webhook, []store.SeedDelivery) {
	created := g.now.AddDate(0, -2, 0)
	secret := func() string { return fmt.Sprintf("whsec_demo%016x", g.rnd.Uint64()) }
	hooks := []*model.Webhook{
		{URL: "https://erp.example.com/aftercare/webhooks", Description: "订单系统 Order system (demo: paused)",
			Events: []model.EventType{model.EventRequestCreated, model.EventRequestStatusChanged}},
		{URL: "https://crm.example.com/hooks/aftercare", Description: "CRM (demo: paused)",
			Events: []model.EventType{model.EventRequestStatusChanged, model.EventRequestUpdated, model.EventMessageCreated}},
		{URL: "https://bot.example.com/aftercare", Description: "企业微信机器人 Chat bot: time targets (demo: paused)",
			Events: []model.EventType{model.EventSLAWarning, model.EventSLABreached}},
	}
	for _, h := range hooks {
		h.Secret, h.CreatedAt = secret(), created
	}
	// The newest requests, and the two newest old enough for a day and a
	// half of retries to be over.
	slices.SortFunc(recent, func(a, b recentRequest) int { return b.created.Compare(a.created) })
	chosen := slices.Clone(recent[:min(len(recent), 22)])
	for _, r := range recent[len(chosen):] {
		if g.now.Sub(r.created) > 40*time.Hour && len(chosen) < 24 {
			chosen = append(chosen, r)
		}
	}
	recent = chosen
	var out []store.SeedDelivery
	redelivered, failed := false, false
	for i, r := range recent {
		ev := model.DomainEvent{Type: model.EventRequestCreated, At: r.created, Request: &model.Request{Number: r.number}}
		p := plain
		switch old := g.now.Sub(r.created) > 40*time.Hour; { // room for every retry
		case old && !redelivered:
			p, redelivered = redeliveredByHand, true
		case old && !failed:
			p, failed = failedForGood, true
		case i%7 == 3:
			p = receiverDeploy
		case i%9 == 8:
			p = flaky
		}
		out = append(out, g.seedDelivery(0, ev, p))
		if r.status != model.StatusNew && r.updated.After(r.created) {
			ev := model.DomainEvent{Type: model.EventRequestStatusChanged, At: r.updated, From: model.StatusNew, To: r.status,
				Request: &model.Request{Number: r.number}}
			out = append(out, g.seedDelivery(0, ev, plain), g.seedDelivery(1, ev, plain))
		}
	}
	// In the order they happened, so ids grow with time as they would.
	slices.SortStableFunc(out, func(a, b store.SeedDelivery) int { return a.Event.At.Compare(b.Event.At) })
	return hooks, out
}

// pattern is how a seeded delivery went.
type pattern int

const (
	plain             pattern = iota // delivered at the first attempt
	redeliveredByHand                // the receiver was down for a day and a half; an admin redelivered it
	failedForGood                    // no answer at any attempt, and nobody redelivered it
	receiverDeploy                   // 503 during a deploy on the receiver's side, then delivered
	flaky                            // a timeout and a 502, then delivered
)

// seedDelivery plays the attempts of one delivery.
func (g *gen) seedDelivery(hook int, ev model.DomainEvent, p pattern) store.SeedDelivery {
	d := store.SeedDelivery{Webhook: hook, Event: ev, Status: model.DeliveryDelivered}
	at := ev.At.Add(time.Duration(200+g.rnd.IntN(800)) * time.Millisecond)
	schedule := webhook.DefaultSchedule()
	attempt := func(code int, kind model.AttemptError, msg string, took time.Duration) {
		a := model.DeliveryAttempt{At: at, Duration: took, ErrorKind: kind, Error: msg}
		if code != 0 {
			a.StatusCode = &code
		}
		d.Attempts = append(d.Attempts, a)
		at = at.Add(took + webhook.Backoff(schedule, len(d.Attempts)))
	}
	ms := func() time.Duration { return time.Duration(40+g.rnd.IntN(360)) * time.Millisecond }
	switch p {
	case redeliveredByHand:
		for range len(schedule) + 1 {
			attempt(0, model.AttemptConnect, "dial tcp 203.0.113.10:443: connect: connection refused", 3*time.Millisecond)
		}
		at = d.Attempts[len(d.Attempts)-1].At.Add(time.Hour) // an admin noticed an hour after the last
		attempt(200, "", "", ms())
		d.Attempts[len(d.Attempts)-1].Manual = true
	case failedForGood:
		for range len(schedule) + 1 {
			attempt(0, model.AttemptTimeout, "no answer within 10s", 10*time.Second)
		}
		d.Status = model.DeliveryFailed
	case receiverDeploy:
		attempt(503, model.AttemptStatus, "HTTP 503 Service Unavailable", ms())
		attempt(200, "", "", ms())
	case flaky:
		attempt(0, model.AttemptTimeout, "no answer within 10s", 10*time.Second)
		attempt(502, model.AttemptStatus, "HTTP 502 Bad Gateway", ms())
		attempt(200, "", "", ms())
	default:
		attempt(200, "", "", ms())
	}
	if last := d.Attempts[len(d.Attempts)-1].At; last.After(g.now) {
		// Too recent for its retries: delivered at once instead.
		d.Attempts, d.Status = d.Attempts[:0], model.DeliveryDelivered
		at = ev.At.Add(300 * time.Millisecond)
		attempt(200, "", "", ms())
	}
	return d
}
