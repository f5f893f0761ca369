package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// faultSpecs are the fault codes of each category (zh, en).
var faultSpecs = map[string][][3]string{
	catCamera:    {{"CAM-LENS", "镜头伸缩故障", "Lens barrel error"}, {"CAM-SENS", "传感器坏点", "Sensor defect"}, {"CAM-PWR", "无法开机", "Does not power on"}, {"CAM-SHUT", "快门故障", "Shutter fault"}},
	catLens:      {{"LNS-AF", "对焦马达故障", "Autofocus motor fault"}, {"LNS-OIS", "防抖失灵", "Stabiliser fault"}, {"LNS-MOULD", "镜片发霉", "Fungus on elements"}},
	catPhone:     {{"PH-SCR", "屏幕损坏", "Cracked screen"}, {"PH-BAT", "电池鼓包/续航差", "Battery swollen or weak"}, {"PH-CHG", "无法充电", "Does not charge"}, {"PH-CAM", "摄像头模糊", "Blurry camera"}},
	catAppliance: {{"AP-DRAIN", "排水故障", "Drain fault"}, {"AP-COOL", "不制冷", "Not cooling"}, {"AP-MOTOR", "电机异响", "Noisy motor"}, {"AP-PCB", "主板故障", "Control board fault"}},
	catAudio:     {{"AU-NOISE", "降噪失效", "Noise cancelling fault"}, {"AU-CHG", "充电仓故障", "Charging case fault"}, {"AU-SND", "单边无声", "No sound on one side"}},
}

// labourSpecs are the labour price list: code, category, name, price.
var labourSpecs = []struct {
	code, category, name string
	price                int64
}{
	{model.InspectionCode, "", "检测费 Inspection", 5000},
	{"bench", catCamera, "相机拆机维修 Camera bench repair", 18000},
	{"bench", catLens, "镜头校准维修 Lens calibration", 15000},
	{"bench", catPhone, "手机维修工时 Phone repair", 9000},
	{"bench", catAppliance, "家电维修工时 Appliance repair", 12000},
	{"bench", catAudio, "音频设备维修 Audio repair", 6000},
	{"visit", catAppliance, "上门服务费 On-site visit", 8000},
}

// makeRepairs builds fault codes, the labour price list, return
// policies, repair orders for the repair requests (the latest in every
// stage, the rest over the past year completed, a few declined or
// cancelled) and returns for the return and exchange requests.
func (g *gen) makeRepairs(rnd *rand.Rand, repairs, returns []model.Request) store.RepairSeed {
	var out store.RepairSeed
	cur := "CNY"
	if len(g.parts) > 0 {
		cur = g.parts[0].Currency
	}
	for _, cat := range []string{catAppliance, catAudio, catCamera, catLens, catPhone} {
		for _, f := range faultSpecs[cat] {
			out.FaultCodes = append(out.FaultCodes, model.FaultCode{Category: cat, Code: f[0], NameZh: f[1], NameEn: f[2]})
		}
	}
	for _, l := range labourSpecs {
		out.Labour = append(out.Labour, model.LabourPrice{Code: l.code, Category: l.category, Name: l.name, Price: l.price, Currency: cur})
	}
	out.Policies = []model.ReturnPolicy{
		{Category: catAppliance, ReturnDays: 7, ExchangeDays: 15, OutsideWindow: model.OutsideReview},
		{Category: catAudio, ReturnDays: 7, ExchangeDays: 15, OutsideWindow: model.OutsideReject},
		{Category: catPhone, ReturnDays: 7, ExchangeDays: 15, OutsideWindow: model.OutsideReject},
	}
	partsBySKU := map[string][]int{}
	for i, p := range g.parts {
		for _, sku := range p.CompatibleSKUs {
			partsBySKU[sku] = append(partsBySKU[sku], i)
		}
	}
	stages := model.RepairStages()
	batch, batchCode := g.faultBatch(repairs)
	for i, r := range repairs {
		u := g.units[*r.UnitID-1]
		prod := g.products[u.ProductID-1]
		var centres []int
		for ci, c := range g.centres {
			if c.Repairs(prod.Category) {
				centres = append(centres, ci)
			}
		}
		if len(centres) == 0 {
			continue
		}
		c := g.centres[pick(rnd, centres)]
		// The request's team repairs at its own centre (centre i+1 is
		// team i's) when that centre takes the category, so the
		// analytics by centre (the repair order's) tell the teams' story.
		if r.TeamID != nil && slices.Contains(centres, int(*r.TeamID-1)) {
			c = g.centres[*r.TeamID-1]
		}
		techName := "技术员"
		if ts := g.staff.techs[int(c.ID-1)%len(g.staff.techs)]; len(ts) > 0 {
			techName = g.staffWho(pick(rnd, ts)).name
		}
		// The latest repairs stand in every stage; older ones are done.
		target := model.StageCompleted
		if k := len(repairs) - 1 - i; k < 3*len(stages) {
			target = stages[k%len(stages)]
		} else if rnd.IntN(20) == 0 {
			target = model.StageCancelled
		}
		start := r.CreatedAt.Add(time.Duration(1+rnd.IntN(int(maxRepairDelay/time.Hour))) * time.Hour)
		if start.After(g.now) {
			start = r.CreatedAt
		}
		mode := model.ModeMailIn
		switch {
		case prod.Category == catAppliance:
			mode = model.ModeOnSite
		case rnd.IntN(2) == 0:
			mode = model.ModeInStore
		}
		rp := model.Repair{RequestID: r.ID, UnitID: r.UnitID, CentreID: c.ID, Mode: mode, Currency: cur, CreatedAt: start}
		// The quote: a part the model takes, labour, shipping by mail.
		covered := model.Coverage{}
		source := model.SourceNone
		pol := model.WarrantyPolicy{Months: prod.WarrantyMonths}
		if !start.After(catalog.BaseEnd(&u, &pol).AddDate(0, 0, 1)) {
			covered, source = model.Coverage{Parts: true, Labour: true, Shipping: true}, model.SourceBase
		}
		var lines []model.QuoteLine
		var usedPart *model.Part
		if ps := partsBySKU[u.SKU]; len(ps) > 0 {
			p := g.parts[pick(rnd, ps)]
			usedPart = &p
			lines = append(lines, model.QuoteLine{Kind: model.LinePart, PartID: &p.ID, PartNo: p.PartNo, Description: p.Name, Quantity: 1, UnitPrice: p.Price})
		}
		for _, l := range labourSpecs {
			if l.code == "bench" && l.category == prod.Category {
				lines = append(lines, model.QuoteLine{Kind: model.LineLabour, Description: l.name, Quantity: 1, UnitPrice: l.price})
			}
		}
		if mode == model.ModeMailIn {
			lines = append(lines, model.QuoteLine{Kind: model.LineShipping, Description: "顺丰寄回 SF Express return", Quantity: 1, UnitPrice: 2300})
		}
		var total int64
		for j := range lines {
			l := &lines[j]
			l.Covered = l.Kind.CoveredBy(covered)
			if !l.Covered {
				l.Amount = l.Quantity * l.UnitPrice
			}
			total += l.Amount
		}
		declined := total > 0 && rnd.IntN(7) == 0
		// Walk the stages up to the target, hours to days apart.
		waitParts := !declined && rnd.IntN(6) == 0
		cancelAt := 0
		if target == model.StageCancelled {
			cancelAt = 2 + rnd.IntN(3)
		}
		path, redo := repairPath(target, total > 0, declined, waitParts, cancelAt)
		if redo {
			// A stage this repair would not pass: it takes the paid,
			// approved road (a free quote gets charged).
			declined = false
			if total == 0 {
				for j := range lines {
					lines[j].Covered, lines[j].Amount = false, lines[j].Quantity*lines[j].UnitPrice
				}
				source = model.SourceNone
				for _, l := range lines {
					total += l.Amount
				}
			}
		}
		end := g.now.Add(-time.Hour)
		if target == model.StageCompleted || target == model.StageCancelled {
			end = minTime(start.Add(time.Duration(3+rnd.IntN(12))*24*time.Hour), g.now.Add(-time.Hour))
		}
		step := end.Sub(start) / time.Duration(len(path))
		var sr store.SeedRepair
		at := start
		var prev model.RepairStage
		quoted := false
		for j, st := range path {
			if j > 0 {
				at = at.Add(step)
			}
			h := model.RepairStep{From: prev, Stage: st, ActorKind: model.AuthorStaff, ActorName: techName, At: at}
			switch st {
			case model.StageReceived:
				rp.Condition, rp.Accessories = "外观轻微划痕 light scratches", "充电器、数据线 charger, cable"
			case model.StageDiagnosing:
				if fs := faultSpecs[prod.Category]; len(fs) > 0 {
					k := rnd.IntN(len(fs))
					switch {
					case batch[i]:
						rp.FaultCodes = []string{batchCode}
					case u.ProductID == g.batchProduct && fs[k][0] == batchCode:
						rp.FaultCodes = []string{fs[(k+1)%len(fs)][0]}
					default:
						rp.FaultCodes = []string{fs[k][0]}
					}
				}
			case model.StageQuoted, model.StageWaitingApproval:
				if !quoted {
					quoted = true
					rp.Lines, rp.QuoteTotal, rp.CoverageSource = lines, total, source
					rp.Approval = model.ApprovalNotNeeded
					if total > 0 {
						rp.Approval = model.ApprovalPending
					}
				} else if st == model.StageQuoted {
					rp.Approval, rp.ApprovalBy, rp.ApprovalByKind = model.ApprovalApproved, g.customers[g.custIndex(r.CustomerID)].Name, "customer"
					t := at
					rp.ApprovalAt = &t
					h.ActorKind, h.ActorName, h.Note = model.AuthorCustomer, rp.ApprovalBy, "quote approved by the customer"
				}
			case model.StageReady:
				if declined && prev == model.StageWaitingApproval {
					rp.Approval, rp.ApprovalBy, rp.ApprovalByKind = model.ApprovalDeclined, g.customers[g.custIndex(r.CustomerID)].Name, "customer"
					t := at
					rp.ApprovalAt, rp.InspectionFee = &t, 5000
					h.ActorKind, h.ActorName, h.Note = model.AuthorCustomer, rp.ApprovalBy, "quote declined by the customer"
				}
			case model.StageTesting:
				if usedPart != nil {
					sr.Consume = []model.RepairPart{{PartID: usedPart.ID, Consumed: 1}}
				}
			case model.StageReturned:
				if mode == model.ModeMailIn {
					rp.Carrier, rp.TrackingNo = "顺丰速运 SF Express", "SF"+time.Unix(at.Unix(), 0).Format("0601021504")+itoa3(rnd.IntN(1000))
				}
			case model.StageCompleted:
				t := at
				rp.CompletedAt = &t
			}
			sr.History = append(sr.History, h)
			prev = st
		}
		if (prev == model.StageRepairing || prev == model.StageWaitingParts) && usedPart != nil && prev != model.StageWaitingParts {
			sr.Reserve = []model.RepairPart{{PartID: usedPart.ID, Reserved: 1}}
		}
		rp.Stage, rp.UpdatedAt = prev, at
		sr.Repair = rp
		out.Repairs = append(out.Repairs, sr)
	}
	markRework(out.Repairs, 12)
	review := map[string]bool{}
	for _, p := range out.Policies {
		review[p.Category] = p.OutsideWindow == model.OutsideReview
	}
	out.Deliveries = map[int64][2]time.Time{}
	for i, r := range returns {
		u := g.units[*r.UnitID-1]
		kind := model.ReturnRefund
		if r.Type == model.TypeExchange {
			kind = model.ReturnExchange
		}
		startDay := u.PurchasedAt
		if u.DeliveredAt != nil {
			startDay = *u.DeliveredAt
		}
		// One refund in six was asked for too late: the unit was bought
		// and delivered nine days before, outside the 7-day window, so the
		// policy rejects it with its reason (or sends it to review).
		y, m, d := r.CreatedAt.In(g.loc).Date()
		if late := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -9); kind == model.ReturnRefund && i%6 == 5 {
			bought := minTime(u.PurchasedAt, late.AddDate(0, 0, -1))
			startDay, out.Deliveries[u.ID] = late, [2]time.Time{bought, late}
		}
		days := 7
		if kind == model.ReturnExchange {
			days = 15
		}
		ends := startDay.AddDate(0, 0, days)
		asked := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		rt := model.Return{RequestID: r.ID, UnitID: u.ID, Kind: kind, Reason: "不想要了 / changed my mind", WindowEndsOn: ends,
			Currency: cur, CreatedAt: r.CreatedAt, UpdatedAt: r.CreatedAt}
		if !asked.After(ends) {
			rt.Decision, rt.Status, rt.DecisionReason = model.ReturnApproved, model.ReturnApproved, "inside the window"
			var steps []store.ReturnStep
			if g.now.Sub(r.CreatedAt) > 5*24*time.Hour {
				rt.UpdatedAt = r.CreatedAt.Add(4 * 24 * time.Hour)
				closed := rt.UpdatedAt
				rt.ClosedAt = &closed
				if kind == model.ReturnRefund {
					rt.Status, rt.RefundAmount = model.ReturnRefunded, 10000*int64(1+rnd.IntN(40))
				} else {
					rt.Status, rt.ReplacementSerial = model.ReturnReplaced, u.Serial+"-R"
				}
				steps = []store.ReturnStep{{Status: model.ReturnReceived, At: r.CreatedAt.Add(48 * time.Hour)},
					{Status: model.ReturnInspected, At: r.CreatedAt.Add(72 * time.Hour)}, {Status: rt.Status, At: rt.UpdatedAt}}
			}
			out.ReturnSteps = append(out.ReturnSteps, steps)
		} else if review[g.products[u.ProductID-1].Category] {
			rt.Decision, rt.Status, rt.DecisionReason = model.ReturnReview, model.ReturnReview, "outside the window: an agent will review it"
			out.ReturnSteps = append(out.ReturnSteps, nil)
		} else {
			rt.Decision, rt.Status, rt.DecisionReason = model.ReturnRejected, model.ReturnRejected, "outside the window"
			closed := r.CreatedAt
			rt.ClosedAt = &closed
			out.ReturnSteps = append(out.ReturnSteps, nil)
		}
		out.Returns = append(out.Returns, rt)
	}
	return out
}

// markRework flags up to limit pairs of repairs of the same unit where
// the later one came in within model.ReworkDays of the earlier one's
// completion: the later one records the same fault code (the device came
// back with the same fault) and names the earlier one.
func markRework(repairs []store.SeedRepair, limit int) {
	last := map[int64]int{} // unit → index of its latest completed repair
	for j := range repairs {
		b := &repairs[j].Repair
		if b.UnitID == nil {
			continue
		}
		if i, ok := last[*b.UnitID]; ok && limit > 0 && len(b.FaultCodes) > 0 {
			a := &repairs[i].Repair
			if len(a.FaultCodes) > 0 && b.CreatedAt.After(*a.CompletedAt) && b.CreatedAt.Sub(*a.CompletedAt) < model.ReworkDays*24*time.Hour {
				b.FaultCodes = slices.Clone(a.FaultCodes)
				repairs[j].ReworkOf = i + 1
				limit--
			}
		}
		if b.Stage == model.StageCompleted && b.CompletedAt != nil {
			last[*b.UnitID] = j
		}
	}
}

func itoa3(n int) string {
	return string([]byte{byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}

// maxRepairDelay is the longest a demo repair order opens after its
// request.
const maxRepairDelay = 20 * time.Hour

// faultBatch picks the demo's fault-code spike: a faulty batch of one
// model. Of the repair requests opened between 12 weeks and 2 weeks ago,
// the model and week (from Monday) with the most of them become the
// batch: all its repairs that week record the same fault (the category's
// second code, e.g. a swollen battery), which that model's other repairs
// never do — so the fault-code chart shows one spike against the model's
// own baseline. It returns the batch's repairs by index and the code, and
// sets g.batchProduct and g.batch; it draws no random numbers, so the rest of the
// demo is unchanged.
func (g *gen) faultBatch(repairs []model.Request) (map[int]bool, string) {
	type key struct {
		product int64
		week    string
	}
	counts := map[key][]int{}
	var best key
	for i, r := range repairs {
		age := g.now.Sub(r.CreatedAt)
		if age < 14*24*time.Hour || age > 84*24*time.Hour {
			continue
		}
		prod := g.products[g.units[*r.UnitID-1].ProductID-1]
		if len(faultSpecs[prod.Category]) < 2 {
			continue
		}
		d := r.CreatedAt.In(g.loc)
		d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, g.loc)
		monday := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		// The repair order opens up to maxRepairDelay after its request,
		// and the chart counts it in its own week: a request that late in
		// the week is left out, so that the whole batch is in one week.
		if !r.CreatedAt.Add(maxRepairDelay).Before(monday.AddDate(0, 0, 7)) {
			continue
		}
		k := key{prod.ID, monday.Format(time.DateOnly)}
		counts[k] = append(counts[k], i)
		if c, b := len(counts[k]), len(counts[best]); c > b || (c == b && (k.week < best.week || (k.week == best.week && k.product < best.product))) {
			best = k
		}
	}
	if len(counts[best]) == 0 {
		return nil, ""
	}
	code := faultSpecs[g.products[best.product-1].Category][1][0]
	g.batchProduct, g.batch = best.product, FaultBatch{SKU: g.products[best.product-1].SKU, Code: code, Week: best.week}
	out := map[int]bool{}
	for _, i := range counts[best] {
		out[i] = true
	}
	return out, code
}

// repairPath is the stages a demo repair walks up to target: a quote
// with something to pay waits for approval (and, declined, goes back
// unrepaired), waitParts adds a wait for parts, and a cancelled repair
// stops after cancelAt stages. When target is a stage that road does not
// pass (waiting for approval on a free quote, waiting for parts, testing
// a declined repair) it returns the paid, approved road to target and
// redo true. The path always ends at target.
func repairPath(target model.RepairStage, pay, declined, waitParts bool, cancelAt int) (path []model.RepairStage, redo bool) {
	path = []model.RepairStage{model.StageAwaitingDevice, model.StageReceived, model.StageDiagnosing}
	if !pay {
		path = append(path, model.StageQuoted)
	} else {
		path = append(path, model.StageWaitingApproval)
		if declined {
			path = append(path, model.StageReady, model.StageReturned, model.StageCompleted)
		} else {
			path = append(path, model.StageQuoted)
		}
	}
	if !declined {
		if waitParts {
			path = append(path, model.StageRepairing, model.StageWaitingParts)
		}
		path = append(path, model.StageRepairing, model.StageTesting, model.StageReady, model.StageReturned, model.StageCompleted)
	}
	switch target {
	case model.StageCancelled:
		return append(path[:cancelAt:cancelAt], model.StageCancelled), false
	case model.StageCompleted:
		return path, false
	}
	if k := slices.Index(path, target); k >= 0 {
		return path[:k+1], false
	}
	path = []model.RepairStage{model.StageAwaitingDevice, model.StageReceived, model.StageDiagnosing, model.StageWaitingApproval,
		model.StageQuoted, model.StageRepairing}
	if target == model.StageWaitingParts {
		return append(path, model.StageWaitingParts), true
	}
	path = append(path, model.StageTesting, model.StageReady, model.StageReturned)
	return path[:slices.Index(path, target)+1], true
}
