package demo

import (
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/survey"
)

// The feedback of the demo year: surveys sent after each resolved request
// (one per customer per 30 days, as --survey-cooldown-days defaults),
// about two in five answered; follow-up calls for a fifth of the
// requests and every complaint, most reaching the customer; complaints
// with severity, deadline, escalation and compensation.
//
// The answers follow a model the analytics should find again: overall
// satisfaction is a weighted mix of the five dimensions (efficiency and
// technical competence weigh most), and each dimension drops with what
// the customer lived through — a slow repair lowers efficiency, a repair
// that came back (rework) lowers technical competence, a price dispute
// lowers price and fees, a complaint lowers process — and one centre,
// 成都武侯 (worstCentre), is slower, reworks more and is rated lower.
// Comments say what went wrong (or right) in the customer's language and
// are scored by the sentiment model as real answers are.

// The courier disruption: for two weeks, from six to four weeks before
// today, the couriers that carry repaired and returned goods back stood
// still. The work was done on time (resolution times are as usual), but
// customers of mail-in repairs and returns waited days for their
// parcels, nobody told them why, and their ratings of speed and process
// fell: the p-chart of CSAT raises an alert on those weeks.
const (
	courierFrom = 42 * 24 * time.Hour
	courierTo   = 28 * 24 * time.Hour
)

// courierDisrupted reports whether a request of flow f resolved at
// resolved sent goods back during the courier disruption.
func (g *gen) courierDisrupted(f flow, resolved *time.Time) bool {
	if resolved == nil || (f != flowMailIn && f != flowReturn) {
		return false
	}
	age := g.now.Sub(*resolved)
	return age <= courierFrom && age > courierTo
}

// fbRequest is what the feedback generator keeps of a played request.
type fbRequest struct {
	r        model.Request
	sc       *scenario
	cust     int
	reopened bool
	held     bool
}

// collectFeedback keeps what makeFeedback needs of a played batch.
func (g *gen) collectFeedback(specs []spec, reqs []model.Request, evs []model.Event) {
	flags := map[int64][2]bool{}
	for _, e := range evs {
		f := flags[e.RequestID]
		f[0] = f[0] || e.Kind == "reopened"
		f[1] = f[1] || (e.Kind == "status" && e.NewValue == string(model.StatusOnHold))
		flags[e.RequestID] = f
	}
	for i := range reqs {
		f := flags[reqs[i].ID]
		g.played = append(g.played, fbRequest{r: reqs[i], sc: specs[i].sc, cust: specs[i].cust, reopened: f[0], held: f[1]})
	}
}

// Settings of the demo's feedback, as the defaults of the flags.
const (
	demoSurveyDelay   = 2 * time.Hour
	demoCooldown      = 30 * 24 * time.Hour
	demoFollowupAfter = 3 * 24 * time.Hour
	demoFollowupShare = 0.2
	demoThreshold     = 50000
)

var demoComplaintHours = [3]int{24, 72, 168}

// fbGen builds the feedback rows.
type fbGen struct {
	g      *gen
	rnd    *rand.Rand
	score  survey.CommentScorer
	rows   store.FeedbackRows
	lastAt map[int64]time.Time // a customer's last invitation that was not suppressed
}

// makeFeedback generates the feedback of every played request.
func (g *gen) makeFeedback(seed uint64) store.FeedbackRows {
	fg := &fbGen{g: g, rnd: newRand(seed ^ 0xfeedbac), score: survey.SentimentScorer(func(string, ...any) {}),
		lastAt: map[int64]time.Time{}}
	for i := range g.played {
		fr := &g.played[i]
		if fr.r.Type == model.TypeComplaint {
			fg.complaint(fr)
		}
		if fr.r.ResolvedAt == nil {
			continue
		}
		fg.invitation(fr)
		if fr.r.Type == model.TypeComplaint || survey.FollowupSampled(fr.r.Number, demoFollowupShare) {
			fg.followup(fr)
		}
	}
	return fg.rows
}

func (fg *fbGen) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(fg.rnd.Int64N(int64(hi-lo)))
}

func (fg *fbGen) chance(p float64) bool { return fg.rnd.Float64() < p }

// invitation plans, sends and perhaps answers the survey of a resolved
// request, as the running product would have.
func (fg *fbGen) invitation(fr *fbRequest) {
	r, now := &fr.r, fg.g.now
	resolved := *r.ResolvedAt
	inv := store.SeedInvitation{Invitation: model.Invitation{ID: int64(len(fg.rows.Invitations) + 1), RequestID: r.ID,
		CustomerID: r.CustomerID, TemplateVersion: 1, Status: model.InvitationScheduled,
		ScheduledAt: resolved.Add(demoSurveyDelay), CreatedAt: resolved}}
	defer func() { fg.rows.Invitations = append(fg.rows.Invitations, inv) }()
	if last, ok := fg.lastAt[r.CustomerID]; ok && resolved.Sub(last) < demoCooldown {
		inv.Status, inv.Reason = model.InvitationSuppressed, "cooldown"
		return
	}
	fg.lastAt[r.CustomerID] = resolved
	sent := inv.ScheduledAt
	if !sent.Before(now) {
		return // still scheduled
	}
	expires := sent.Add(survey.LinkTTL)
	inv.Status, inv.SentAt, inv.ExpiresAt = model.InvitationSent, &sent, &expires
	remind := sent.Add(survey.ReminderAfter)
	// Unhappy customers answer a little more often.
	answerAt := sent.Add(fg.between(20*time.Minute, 36*time.Hour))
	if fg.chance(0.3) {
		answerAt = remind.Add(fg.between(time.Hour, 5*24*time.Hour)) // after the reminder
	}
	answers := fg.chance(0.36 + 0.08*fg.trouble(fr))
	if !answers || !answerAt.Before(now) || !answerAt.Before(expires) {
		answerAt = time.Time{}
	}
	if remind.Before(now) && (answerAt.IsZero() || answerAt.After(remind)) && remind.Before(expires) {
		inv.RemindedAt = &remind
	}
	switch {
	case !answerAt.IsZero():
		inv.Status, inv.AnsweredAt = model.InvitationAnswered, &answerAt
		ch := model.ChannelWeb
		if fg.chance(0.08) {
			ch = model.ChannelAPI
		}
		fg.respond(fr, ch, answerAt, &inv.ID, nil)
	case !now.Before(expires):
		inv.Status = model.InvitationExpired
	default:
		// Still open: its link works (the portal's banner shows it).
		inv.Token = fmt.Sprintf("sv_demo%08x%08x", fg.rnd.Uint32(), fg.rnd.Uint32())
		sum := sha256.Sum256([]byte(inv.Token))
		inv.Hash = sum[:]
	}
}

// trouble is how much went wrong for the customer, 0…1.
func (fg *fbGen) trouble(fr *fbRequest) float64 {
	t := fg.slowness(fr)
	if fr.reopened {
		t += 0.5
	}
	if fr.r.Type == model.TypeComplaint {
		t += 0.4
	}
	return math.Min(1, t)
}

// slowness is how far the resolution took beyond what its kind of work
// usually takes, 0 (on time) … 1 (twice as long or more).
func (fg *fbGen) slowness(fr *fbRequest) float64 {
	expected := map[flow]float64{flowMailIn: 110, flowOnSite: 70, flowReturn: 150, flowCheck: 40, flowAnswer: 24, flowComplain: 40}[flowOf(fr.sc)]
	hours := fr.r.ResolvedAt.Sub(fr.r.CreatedAt).Hours()
	return math.Max(0, math.Min(1, hours/expected-1))
}

// priceDispute reports whether the request was about money: a paid
// repair, a fee complaint, a price-protection claim.
func priceDispute(sc *scenario) bool {
	return sc.cat == "damage" || sc.cat == "fee" || sc.cat == "pricedrop"
}

func clampRound(x float64, lo, hi int) int {
	return int(math.Max(float64(lo), math.Min(float64(hi), math.Round(x))))
}

// respond adds a response to a request: the answers follow the model in
// the comment at the top of this file.
func (fg *fbGen) respond(fr *fbRequest, ch model.Channel, at time.Time, invitationID, followupID *int64) {
	r := &fr.r
	n := func(sd float64) float64 { return fg.rnd.NormFloat64() * sd }
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	worst := b(r.TeamID != nil && *r.TeamID == worstCentre+1)
	f := flowOf(fr.sc)
	complaint, slow, rework, held, price := b(r.Type == model.TypeComplaint), fg.slowness(fr), b(fr.reopened), b(fr.held), b(priceDispute(fr.sc))
	courier := b(fg.g.courierDisrupted(f, r.ResolvedAt))
	tech := 0.80 - 0.42*rework - 0.14*worst + n(0.13)
	eff := 0.84 - 0.45*slow - 0.10*held - 0.08*worst - 0.55*courier + n(0.13)
	conv := 0.78 + 0.06*b(f == flowOnSite) - 0.06*b(f == flowMailIn) + n(0.13)
	proc := 0.80 - 0.20*worst - 0.10*held - 0.15*complaint - 0.10*rework - 0.15*courier + n(0.13)
	prc := 0.82 - 0.42*price + n(0.13)
	overall := 0.26*tech + 0.30*eff + 0.06*conv + 0.18*proc + 0.20*prc - 0.08*complaint + n(0.06)
	rating := func(x float64) *int { v := clampRound(1+4*x, 1, 5); return &v }
	maybe := func(p float64, v *int) *int {
		if fg.chance(p) {
			return v
		}
		return nil
	}
	c := &fg.g.customers[fr.cust]
	resp := model.SurveyResponse{ID: int64(len(fg.rows.Responses) + 1), RequestID: r.ID, InvitationID: invitationID,
		FollowupID: followupID, CustomerID: r.CustomerID, Channel: ch, RequestType: r.Type, TeamID: r.TeamID,
		AgentID: r.AssigneeID, CategoryID: r.CategoryID, TemplateVersion: 1, Locale: c.Locale, AnsweredAt: at}
	if r.UnitID != nil {
		pid := fg.g.units[*r.UnitID-1].ProductID
		resp.ProductID = &pid
	}
	resp.CSAT = *rating(overall)
	nps := clampRound(13*overall-1.6+n(1.1), 0, 10)
	ces := clampRound(1+6*(0.5*eff+0.3*proc+0.2*overall)-0.6*math.Max(held, rework)+n(0.5), 1, 7)
	resp.NPS, resp.CES = maybe(0.92, &nps), maybe(0.88, &ces)
	resp.Technical, resp.Efficiency, resp.Convenience = maybe(0.86, rating(tech)), maybe(0.88, rating(eff)), maybe(0.8, rating(conv))
	resp.Process, resp.Price = maybe(0.84, rating(proc)), maybe(0.84, rating(prc))
	if fg.chance(0.35 + 0.3*b(resp.CSAT <= 2)) {
		lang := 0
		if c.Locale == "en" {
			lang = 1
		}
		resp.Comment = fg.comment(lang, resp.CSAT, map[string]float64{"tech": tech, "eff": eff, "proc": proc, "price": prc, "conv": conv})
		if s, ok := fg.score(resp.Comment); ok {
			resp.Sentiment = &s
		}
	}
	fg.rows.Responses = append(fg.rows.Responses, resp)
}

// comment picks what a customer writes: about the worst dimension when
// unhappy, the best when happy.
func (fg *fbGen) comment(lang, csat int, dims map[string]float64) string {
	keys := []string{"tech", "eff", "proc", "price", "conv"}
	pick := keys[0]
	for _, k := range keys {
		if (csat <= 3 && dims[k] < dims[pick]) || (csat > 3 && dims[k] > dims[pick]) {
			pick = k
		}
	}
	pool := goodComments[pick]
	if csat <= 3 {
		pool = badComments[pick]
	}
	return pool[lang][fg.rnd.IntN(len(pool[lang]))]
}

// followup plans the follow-up call of a resolved request and, when its
// time has come, makes it: most calls reach the customer, who usually
// answers the survey's questions (a response from the phone channel).
func (fg *fbGen) followup(fr *fbRequest) {
	r, now := &fr.r, fg.g.now
	resolved := *r.ResolvedAt
	reason := model.FollowupSample
	if r.Type == model.TypeComplaint {
		reason = model.FollowupComplaint
	}
	fu := model.Followup{ID: int64(len(fg.rows.Followups) + 1), RequestID: r.ID, Reason: reason, Status: model.FollowupOpen,
		DueAt: resolved.Add(demoFollowupAfter), CreatedAt: resolved}
	callAt := fu.DueAt.Add(fg.between(time.Hour, 8*time.Hour))
	if r.ClosedAt != nil && r.Type == model.TypeComplaint && !callAt.Before(*r.ClosedAt) {
		// A complaint closes only after its call: the call came first.
		callAt = resolved.Add(r.ClosedAt.Sub(resolved) / 2)
	}
	team := 0
	if r.TeamID != nil {
		team = int(*r.TeamID - 1)
	}
	caller := fg.g.staffWho(fg.g.staff.agents[team][fg.rnd.IntN(len(fg.g.staff.agents[team]))])
	attempt := func(at time.Time, reach model.Reachability, note string) {
		fg.rows.Attempts = append(fg.rows.Attempts, model.FollowupAttempt{ID: int64(len(fg.rows.Attempts) + 1), FollowupID: fu.ID,
			At: at, ByID: caller.id, ByName: caller.name, Reachability: reach, Note: note})
		fu.Attempts++
	}
	defer func() { fg.rows.Followups = append(fg.rows.Followups, fu) }()
	if !callAt.Before(now) || (now.Sub(callAt) < 48*time.Hour && r.ClosedAt == nil && fg.chance(0.5)) {
		return // not due yet, or due and still in the queue
	}
	outcome := model.Reached
	if r.ClosedAt == nil || r.Type != model.TypeComplaint {
		switch x := fg.rnd.IntN(100); {
		case x < 8:
			outcome = model.NoAnswer
		case x < 13:
			outcome = model.Refused
		case x < 16:
			outcome = model.WrongNumber
		}
	}
	if outcome == model.Reached && fg.chance(0.25) && r.Type != model.TypeComplaint {
		attempt(callAt, model.NoAnswer, "")
		callAt = callAt.Add(fg.between(20*time.Hour, 30*time.Hour))
		if !callAt.Before(now) {
			return // the second try is still to come
		}
	}
	if outcome == model.NoAnswer {
		for i := range survey.MaxCallAttempts {
			at := callAt.Add(time.Duration(i) * 24 * time.Hour)
			if !at.Before(now) {
				return
			}
			attempt(at, model.NoAnswer, "")
		}
		done := callAt.Add(time.Duration(survey.MaxCallAttempts-1) * 24 * time.Hour)
		fu.Status, fu.Outcome, fu.DoneAt, fu.DoneBy = model.FollowupDone, model.NoAnswer, &done, caller.name
		return
	}
	attempt(callAt, outcome, "")
	fu.Status, fu.Outcome, fu.DoneAt, fu.DoneBy = model.FollowupDone, outcome, &callAt, caller.name
	if outcome == model.Reached && fg.chance(0.75) {
		id := fu.ID
		fg.respond(fr, model.ChannelPhone, callAt, nil, &id)
	}
}

// complaint records a complaint's severity and deadline, its escalation
// when it was still being worked past the deadline, and compensation
// for about half of them (above the approval threshold, approved by the
// centre's manager; the newest still pending).
func (fg *fbGen) complaint(fr *fbRequest) {
	r, now := &fr.r, fg.g.now
	sev := 2
	switch x := fg.rnd.IntN(100); {
	case x < 20 || r.Priority == model.PriorityUrgent:
		sev = 1
	case x < 75:
		sev = 2
	default:
		sev = 3
	}
	c := model.Complaint{RequestID: r.ID, Severity: sev, CreatedAt: r.CreatedAt,
		DeadlineAt: r.CreatedAt.Add(time.Duration(demoComplaintHours[sev-1]) * time.Hour)}
	team := 0
	if r.TeamID != nil {
		team = int(*r.TeamID - 1)
	}
	manager := fg.g.staffWho(fg.g.staff.managers[team])
	end := now
	if r.ResolvedAt != nil {
		end = *r.ResolvedAt
	} else if r.Status == model.StatusCancelled {
		end = r.UpdatedAt
	}
	if end.After(c.DeadlineAt) && c.DeadlineAt.Before(now) {
		at := c.DeadlineAt
		c.EscalationLevel, c.EscalatedAt, c.EscalatedTo = 1, &at, manager.name
	}
	fg.rows.Complaints = append(fg.rows.Complaints, c)
	if r.ResolvedAt == nil || !fg.chance(0.55) {
		return
	}
	kind, amount := model.CompVoucher, int64(5000+100*fg.rnd.IntN(150))
	switch fr.sc.cat {
	case "fee":
		kind, amount = model.CompRefund, int64(18000+1000*fg.rnd.IntN(110))
	case "attitude":
		if fg.chance(0.5) {
			kind, amount = model.CompGift, int64(8800+100*fg.rnd.IntN(200))
		}
	case "delay":
		if fg.chance(0.3) {
			kind, amount = model.CompFreeRepair, 0
		}
	}
	agent := fg.g.staffWho(fg.g.staff.agents[team][0])
	created := r.ResolvedAt.Add(-fg.between(10*time.Minute, 3*time.Hour))
	comp := model.Compensation{ID: int64(len(fg.rows.Compensations) + 1), RequestID: r.ID, Kind: kind, Amount: amount,
		Currency: "CNY", Status: model.CompApproved, RequestedByID: agent.id, RequestedBy: agent.name,
		DecidedByID: agent.id, DecidedBy: agent.name, DecidedAt: &created, CreatedAt: created}
	if amount > demoThreshold {
		decided := created.Add(fg.between(time.Hour, 20*time.Hour))
		comp.DecidedByID, comp.DecidedBy, comp.DecidedAt = manager.id, manager.name, &decided
		switch {
		case now.Sub(created) < 5*24*time.Hour:
			// The newest wait for the manager (the Feedback section lists them).
			comp.Status, comp.DecidedByID, comp.DecidedBy, comp.DecidedAt = model.CompPending, nil, "", nil
		case fg.chance(0.08):
			comp.Status = model.CompRejected
		}
	}
	fg.rows.Compensations = append(fg.rows.Compensations, comp)
}

// badComments and goodComments are what customers write, by the
// dimension they write about, in Chinese and English.
var badComments = map[string]phrases{
	"eff": {{"维修太慢了，等了一个多星期才修好", "等待时间太长，进度一直没人更新", "寄回来花了很久，效率太低"},
		{"The repair took far too long, more than a week", "Waited forever and nobody told me anything", "Way too slow to get my device back"}},
	"tech": {{"修完没几天又坏了，同样的问题", "问题没有真正解决，又返修了一次", "师傅水平一般，没修好"},
		{"It broke again a few days after the repair, same fault", "The problem was not really fixed, had to send it back", "The technician did not fix it properly"}},
	"price": {{"收费太贵了，报价也不清楚", "维修价格太高，不划算", "多收了费用，很不满意"},
		{"Far too expensive and the quote was unclear", "The price of the repair was too high", "I was overcharged, very unhappy"}},
	"proc": {{"客服态度很差，流程也很混乱", "没人通知我进度，流程太复杂", "投诉了好几次才有人处理"},
		{"Rude staff and a confusing process", "Nobody updated me on the status, the process is a mess", "I had to complain several times before anyone helped"}},
	"conv": {{"维修点太远了，很不方便", "上门预约很难约"},
		{"The service centre is too far away, very inconvenient", "Hard to get an appointment for an onsite visit"}},
}

var goodComments = map[string]phrases{
	"eff":   {{"速度很快，第二天就修好了", "处理很及时，效率很高"}, {"Very fast, fixed the next day", "Quick and efficient service"}},
	"tech":  {{"师傅很专业，问题彻底解决了", "修得很好，现在用着很正常"}, {"The technician was very professional and fixed it for good", "Repaired perfectly, works like new"}},
	"price": {{"价格合理，收费透明", "保修内免费维修，很满意"}, {"Fair price and a clear quote", "Free repair under warranty, very happy"}},
	"proc":  {{"客服态度很好，一直通知我进度", "流程清楚，服务热情"}, {"Friendly staff who kept me updated", "Clear process and polite support"}},
	"conv":  {{"上门服务很方便", "网点就在附近，很方便"}, {"The onsite visit was very convenient", "The service centre is nearby, very convenient"}},
}
