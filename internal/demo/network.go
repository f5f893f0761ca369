package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/store"
)

// centreSpec is a demo service centre: a real district of a real city,
// with its coordinates. The first six are staffed by the six teams (same
// order as centres); the others are smaller drop-off centres.
type centreSpec struct {
	code, name, region, address string
	lat, lng                    float64
	cats                        []string
	hours                       string
	capacity                    int
	manager                     hanzi // the centre manager's name (and e-mail)
}

var centreSpecs = []centreSpec{
	{"BJ-CY", "北京朝阳服务中心", "华北", "北京市朝阳区建国门外大街1号国贸商城B1", 39.9087, 116.4605,
		[]string{catCamera, catLens, catPhone, catAppliance, catAudio}, "mon-sat 09:00-18:00", 40, hanzi{"赵刚", "zhao.gang"}},
	{"SH-XH", "上海徐汇服务中心", "华东", "上海市徐汇区漕溪北路88号", 31.1880, 121.4365,
		[]string{catCamera, catLens, catPhone, catAppliance, catAudio}, "daily 10:00-21:00", 45, hanzi{"钱芳", "qian.fang"}},
	{"GZ-TH", "广州天河服务中心", "华南", "广州市天河区天河路208号", 23.1378, 113.3262,
		[]string{catCamera, catLens, catPhone, catAppliance, catAudio}, "mon-sat 09:00-18:00", 30, hanzi{"孙磊", "sun.lei"}},
	{"SZ-NS", "深圳南山服务中心", "华南", "深圳市南山区科技园南区深南大道9966号", 22.5333, 113.9304,
		[]string{catCamera, catLens, catPhone, catAudio}, "daily 10:00-21:00", 35, hanzi{"周婷", "zhou.ting"}},
	{"CD-WH", "成都武侯服务中心", "西南", "成都市武侯区人民南路四段27号", 30.6424, 104.0434,
		[]string{catCamera, catLens, catPhone, catAppliance, catAudio}, "mon-sat 09:00-18:00", 25, hanzi{"吴强", "wu.qiang"}},
	{"WH-HS", "武汉洪山服务中心", "华中", "武汉市洪山区珞喻路1037号", 30.5050, 114.3430,
		[]string{catCamera, catLens, catPhone, catAppliance, catAudio}, "mon-sat 09:00-18:00", 25, hanzi{"郑丽", "zheng.li"}},
	{"HZ-XH", "杭州西湖服务点", "华东", "杭州市西湖区文三路398号", 30.2770, 120.1280,
		[]string{catCamera, catLens, catPhone, catAudio}, "mon-fri 09:30-18:30; sat 10:00-16:00", 20, hanzi{"冯涛", "feng.tao"}},
	{"NJ-GL", "南京鼓楼服务点", "华东", "南京市鼓楼区中山路321号", 32.0661, 118.7697,
		[]string{catAppliance, catAudio}, "mon-sat 09:00-17:30", 15, hanzi{"陈静", "chen.jing"}},
	{"XA-YT", "西安雁塔服务点", "西北", "西安市雁塔区小寨东路126号", 34.2226, 108.9480,
		[]string{catCamera, catLens, catPhone}, "mon-sat 09:00-18:00", 15, hanzi{"褚明", "chu.ming"}},
	{"CQ-YZ", "重庆渝中服务点", "西南", "重庆市渝中区民族路188号", 29.5570, 106.5770,
		[]string{catPhone, catAppliance}, "daily 10:00-20:00", 20, hanzi{"卫华", "wei.hua"}},
}

// centreManagerEmail is the demo login of the Beijing centre's manager.
const centreManagerEmail = "centre@demo.aftercare.local"

// makeCentres builds the service centres (ids 1…); centre i+1 is team i's.
func (g *gen) makeCentres() {
	since := g.now.AddDate(-3, 0, 0)
	for i, s := range centreSpecs {
		h, err := network.ParseHours(s.hours)
		if err != nil {
			panic(fmt.Sprintf("demo centre %s: %v", s.code, err))
		}
		g.centres = append(g.centres, model.ServiceCentre{ID: int64(i + 1), Code: s.code, Name: s.name, Region: s.region,
			Address: s.address, Lat: s.lat, Lng: s.lng, TimeZone: "Asia/Shanghai", Hours: h, Categories: s.cats,
			DailyCapacity: s.capacity, Active: true, Version: 1, CreatedAt: since, UpdatedAt: since})
	}
}

// attachCentreStaff puts each team's technicians at its centre and gives
// every centre a manager. It draws nothing from the random stream, so
// the rest of the demo stays as it was.
func (g *gen) attachCentreStaff(hash string) {
	st := &g.staff
	for team, techs := range st.techs {
		id := int64(team + 1)
		for _, i := range techs {
			st.users[i].CentreID = &id
		}
	}
	since := g.now.AddDate(-3, 0, 0)
	for i, s := range centreSpecs {
		centre := int64(i + 1)
		email, locale := s.manager.py+"@"+staffDomain, "zh-CN"
		if i == 0 {
			email, locale = centreManagerEmail, "" // the demo login follows the browser's language
		}
		st.users = append(st.users, model.User{ID: int64(len(st.users) + 1), Email: email, Name: s.manager.zh,
			Role: model.RoleCentreManager, CentreID: &centre, Locale: locale, PasswordHash: hash, Active: true,
			CreatedAt: since.Add(time.Duration(i) * time.Hour)})
		g.centreManagers = append(g.centreManagers, len(st.users)-1)
	}
}

// partSpec is a kind of spare part of a product category.
type partSpec struct {
	suffix, zh, en string
	costPermille   int // cost as a share of the category's reference price, in ‰
}

// partKinds lists the parts kept for each category's models; refPrice is
// the category's reference cost in yuan.
var partKinds = map[string]struct {
	refPrice int
	kinds    []partSpec
}{
	catCamera:    {3000, []partSpec{{"SEN", "图像传感器", "image sensor", 600}, {"SHT", "快门组件", "shutter unit", 180}, {"LCD", "液晶屏", "LCD panel", 120}, {"BAT", "电池", "battery", 40}, {"MB", "主板", "main board", 350}}},
	catLens:      {1500, []partSpec{{"AF", "对焦马达", "AF motor", 250}, {"APT", "光圈组件", "aperture unit", 180}, {"MNT", "卡口", "mount", 60}, {"FE", "前镜片", "front element", 300}}},
	catPhone:     {1200, []partSpec{{"SCR", "屏幕总成", "display assembly", 450}, {"BAT", "电池", "battery", 80}, {"CAM", "后摄模组", "rear camera", 250}, {"USB", "尾插小板", "USB board", 40}, {"MB", "主板", "main board", 700}}},
	catAppliance: {800, []partSpec{{"PCB", "电脑板", "control board", 400}, {"MTR", "电机", "motor", 600}, {"PMP", "排水泵", "drain pump", 150}, {"SNS", "温度传感器", "temperature sensor", 40}}},
	catAudio:     {400, []partSpec{{"BAT", "电池", "battery", 150}, {"DRV", "扬声器单元", "driver", 250}, {"PCB", "主板", "main board", 400}}},
}

// makeParts builds the parts catalogue: each product model's parts, with
// costs from the category's reference price and prices at about 1.8×.
func (g *gen) makeParts(rnd *rand.Rand) {
	id := int64(0)
	for _, p := range g.products {
		pk := partKinds[p.Category]
		for _, k := range pk.kinds {
			id++
			cost := int64(pk.refPrice*k.costPermille/1000) * (90 + int64(rnd.IntN(21))) // yuan × 100 = fen, ±10 %
			price := (cost * 18 / 10 / 1000) * 1000                                     // about 1.8×, to the 10 yuan
			if price < cost {
				price = cost
			}
			g.parts = append(g.parts, model.Part{ID: id, PartNo: p.SKU + "-" + k.suffix,
				Name:           fmt.Sprintf("%s %s（%s）", englishName(p.Name), k.zh, k.en),
				CompatibleSKUs: []string{p.SKU}, Cost: cost, Price: price, Currency: "CNY",
				CreatedAt: p.CreatedAt, UpdatedAt: p.CreatedAt})
			g.partCategory = append(g.partCategory, p.Category)
		}
	}
}

// makeStock stocks each centre with most parts of the categories it
// repairs and plays each line's history: an opening receipt, parts
// reserved and fitted in repairs, restocking, the odd stocktake
// difference, and, in the last days, transfers between centres. Some
// lines end at or below their reorder point, so the alerts have
// something to show. Every ledger row carries the line's balance after
// it, and the lines are the sums of their rows.
func (g *gen) makeStock(rnd *rand.Rand) {
	type key struct{ centre, part int }
	lines := map[key]*model.StockLevel{}
	var order []key
	var moves []model.StockMovement
	staffOf := func(centre int) who {
		return g.staffWho(g.centreManagers[centre])
	}
	techOf := func(centre int) who {
		if centre < len(g.staff.techs) {
			return g.staffWho(pick(rnd, g.staff.techs[centre]))
		}
		return staffOf(centre)
	}
	add := func(k key, at time.Time, kind model.MovementKind, qty, dOn, dRes int64, by who, note string, counterpart *int64) {
		l := lines[k]
		l.OnHand += dOn
		l.Reserved += dRes
		l.UpdatedAt = at
		moves = append(moves, model.StockMovement{CentreID: l.CentreID, PartID: l.PartID, Kind: kind, Quantity: qty,
			OnHandDelta: dOn, ReservedDelta: dRes, OnHandAfter: l.OnHand, ReservedAfter: l.Reserved,
			UnitCost: g.parts[k.part].Cost, CounterpartID: counterpart, ActorKind: model.KindStaff, ActorID: by.id,
			ActorName: by.name, Note: note, CreatedAt: at})
	}
	recent := g.now.AddDate(0, 0, -5)
	for ci, c := range g.centres {
		for pi := range g.parts {
			if !c.Repairs(g.partCategory[pi]) || rnd.IntN(10) >= 5 {
				continue
			}
			k := key{ci, pi}
			lines[k] = &model.StockLevel{CentreID: c.ID, PartID: g.parts[pi].ID}
			order = append(order, k)
			if rnd.IntN(10) < 7 {
				lines[k].ReorderPoint = int64(2 + rnd.IntN(4))
			}
			t := g.now.AddDate(0, 0, -60-rnd.IntN(120)).Truncate(time.Minute)
			q := int64(6 + rnd.IntN(20))
			add(k, t, model.MoveReceive, q, q, 0, staffOf(ci), fmt.Sprintf("采购入库 PO-%s-%03d", t.Format("060102"), rnd.IntN(1000)), nil)
			low := rnd.IntN(8) == 0 // this line will run short
			for t.Before(recent) {
				t = t.Add(time.Duration(10+rnd.IntN(35))*24*time.Hour + time.Duration(rnd.IntN(8*60))*time.Minute)
				if !t.Before(recent) {
					break
				}
				l := lines[k]
				switch avail := l.OnHand - l.Reserved; {
				case avail <= l.ReorderPoint+1 && !low:
					q := int64(5 + rnd.IntN(15))
					add(k, t, model.MoveReceive, q, q, 0, staffOf(ci), fmt.Sprintf("补货入库 PO-%s-%03d", t.Format("060102"), rnd.IntN(1000)), nil)
				case avail > 0 && rnd.IntN(12) == 0:
					add(k, t, model.MoveAdjust, -1, -1, 0, staffOf(ci), "盘点差异 stocktake difference", nil)
				case avail > 0:
					q := int64(1 + rnd.IntN(min(2, int(avail))))
					tech := techOf(ci)
					note := fmt.Sprintf("维修预留 repair of SR-%d", t.Year())
					add(k, t, model.MoveReserve, q, 0, q, tech, note, nil)
					t = t.Add(time.Duration(1+rnd.IntN(3)) * 24 * time.Hour)
					add(k, t, model.MoveConsume, -q, -q, -q, tech, "维修领用 fitted", nil)
				}
			}
		}
	}
	// Transfers in the last days, from a centre with spare units to one
	// that stocks the part too.
	byPart := map[int][]key{}
	for _, k := range order {
		byPart[k.part] = append(byPart[k.part], k)
	}
	for range 20 {
		k := order[rnd.IntN(len(order))]
		src := lines[k]
		peers := byPart[k.part]
		if len(peers) < 2 || src.OnHand-src.Reserved < 6 {
			continue
		}
		dk := peers[rnd.IntN(len(peers))]
		if dk == k {
			continue
		}
		t := g.now.AddDate(0, 0, -1-rnd.IntN(4)).Truncate(time.Minute)
		if t.Before(src.UpdatedAt) || t.Before(lines[dk].UpdatedAt) {
			continue
		}
		q := int64(2 + rnd.IntN(2))
		to, from := lines[dk].CentreID, src.CentreID
		note := "调拨 transfer " + g.centres[k.centre].Code + " → " + g.centres[dk.centre].Code
		add(k, t, model.MoveTransfer, -q, -q, 0, staffOf(k.centre), note, &to)
		add(dk, t, model.MoveTransfer, q, q, 0, staffOf(k.centre), note, &from)
	}
	sort.SliceStable(moves, func(i, j int) bool { return moves[i].CreatedAt.Before(moves[j].CreatedAt) })
	for i := range moves {
		moves[i].ID = int64(i + 1)
	}
	for _, k := range order {
		g.stock = append(g.stock, *lines[k])
	}
	g.moves = moves
}

// demoPlans are the extended-warranty plans on offer.
var demoPlans = []model.WarrantyPlan{
	{Code: "CARE-1Y", Name: "无忧延保 1 年 Care+ 1 year", Months: 12, Price: 19900, Covers: model.Coverage{Parts: true, Labour: true}},
	{Code: "CARE-2Y", Name: "无忧延保 2 年 Care+ 2 years", Months: 24, Price: 34900, Covers: model.Coverage{Parts: true, Labour: true}},
	{Code: "CARE-3Y-PLUS", Name: "尊享延保 3 年（含运费）Care+ Premium 3 years", Months: 36, Price: 59900,
		Covers: model.Coverage{Parts: true, Labour: true, Shipping: true}},
}

// makePlans offers the plans and sells one on about one unit in twelve,
// at the time of purchase or a few months later, through the centre of
// the buyer's city; a few sales are discounted. Dates follow the rules of
// catalog.PlanDates. Online purchases get a delivery date.
func (g *gen) makePlans(rnd *rand.Rand) {
	since := g.now.AddDate(-3, -1, 0)
	for i, p := range demoPlans {
		p.ID, p.Currency, p.Active, p.CreatedAt = int64(i+1), "CNY", true, since
		g.plans = append(g.plans, p)
	}
	y, m, d := g.now.In(g.loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for ui := range g.units {
		u := &g.units[ui]
		if u.Channel == "online" {
			dd := u.PurchasedAt.AddDate(0, 0, 1+rnd.IntN(3))
			if !dd.After(today) {
				u.DeliveredAt = &dd
			}
		}
		if rnd.IntN(12) != 0 {
			continue
		}
		plan := g.plans[rnd.IntN(len(g.plans))]
		sold := u.PurchasedAt.AddDate(0, 0, rnd.IntN(90))
		if sold.After(today) {
			sold = today
		}
		pol := g.policies[u.ProductID-1]
		start, end := catalog.PlanDates(catalog.BaseEnd(u, &pol), sold, plan.Months)
		price := plan.Price
		if rnd.IntN(5) == 0 {
			price = price * 8 / 10 // a promotion
		}
		cust := int(u.CustomerID - 1)
		centre := int64(cities[g.custCity[cust]].centre + 1)
		seller := g.staffWho(g.staff.agents[centre-1][0])
		g.sales = append(g.sales, model.UnitPlan{ID: int64(len(g.sales) + 1), UnitID: u.ID, PlanID: plan.ID, SoldAt: sold,
			StartsOn: start, EndsOn: end, Months: plan.Months, Price: price, Currency: "CNY", Covers: plan.Covers,
			CentreID: &centre, SoldByKind: model.KindStaff, SoldByID: seller.id, SoldBy: seller.name,
			CreatedAt: minTime(sold.Add(time.Duration(10+rnd.IntN(8))*time.Hour), g.now)})
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// slot is an appointment window of a day, in minutes after midnight.
type slot struct{ from, to int }

var (
	storeSlots  = []slot{{9*60 + 30, 10*60 + 30}, {11 * 60, 12 * 60}, {14 * 60, 15 * 60}, {15*60 + 30, 16*60 + 30}}
	onSiteSlots = []slot{{9 * 60, 11 * 60}, {13 * 60, 15 * 60}, {15 * 60, 17 * 60}}
)

// bookDemoAppointment books an upcoming appointment for about four in ten
// open repair, installation and maintenance requests (always for the demo
// customer's): in store at the centre of the customer's city within its
// opening hours, or an on-site visit for appliances, with a technician
// who is free then, within the centre's daily capacity. The booking goes
// on the request's timeline.
func (g *gen) bookDemoAppointment(p *play, sp *spec) {
	rnd := g.netRnd
	if rnd == nil || len(g.centres) == 0 {
		return
	}
	switch p.r.Status {
	case model.StatusNew, model.StatusOpen, model.StatusPending, model.StatusOnHold:
	default:
		return
	}
	switch p.r.Type {
	case model.TypeRepair, model.TypeInstallation, model.TypeMaintenance:
	default:
		return
	}
	if sp.cust != 0 && rnd.IntN(10) >= 4 {
		return
	}
	team := cities[g.custCity[sp.cust]].centre
	c := &g.centres[team]
	loc := c.Location()
	kind, slots, dur := model.AppointmentInStore, storeSlots, time.Hour
	if flowOf(sp.sc) == flowOnSite {
		kind, slots, dur = model.AppointmentOnSite, onSiteSlots, 2*time.Hour
	}
	y, m, d := g.now.In(loc).Date()
	for try := 0; try < 6; try++ {
		day := time.Date(y, m, d+1+rnd.IntN(6), 0, 0, 0, 0, loc)
		localDay := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
		dayKey := c.Code + localDay.Format(time.DateOnly)
		if g.booked[dayKey] >= c.DailyCapacity {
			continue
		}
		s := slots[rnd.IntN(len(slots))]
		from := day.Add(time.Duration(s.from) * time.Minute)
		to := from.Add(dur)
		if kind == model.AppointmentInStore && !c.Hours.Covers(from, to, loc) {
			continue
		}
		var tech *int64
		var techName string
		for _, ti := range g.staff.techs[team] {
			u := &g.staff.users[ti]
			free := true
			for _, b := range g.techBusy[u.ID] {
				if b[0].Before(to) && b[1].After(from) {
					free = false
				}
			}
			if free && (kind == model.AppointmentOnSite || rnd.IntN(3) > 0) {
				g.techBusy[u.ID] = append(g.techBusy[u.ID], [2]time.Time{from, to})
				tech, techName = &u.ID, u.Name
				break
			}
		}
		if kind == model.AppointmentOnSite && tech == nil {
			continue
		}
		at := p.r.UpdatedAt.Add(time.Duration(5+rnd.IntN(55)) * time.Minute)
		if !at.Before(g.now) {
			at = p.r.UpdatedAt
		}
		booker := g.staffWho(g.staff.agents[team][0])
		cust := &g.customers[sp.cust]
		a := model.Appointment{ID: int64(len(g.appts) + 1), CentreID: c.ID, CentreCode: c.Code, TechnicianID: tech, Technician: techName,
			RequestID: p.r.ID, Kind: kind, Status: model.AppointmentBooked, StartsAt: from.UTC(), EndsAt: to.UTC(), LocalDay: localDay,
			BookedByKind: model.KindStaff, BookedByID: booker.id, BookedBy: booker.name, CreatedAt: at}
		if kind == model.AppointmentOnSite {
			a.Address = cust.City + " " + cust.Address
		}
		g.appts = append(g.appts, a)
		g.booked[dayKey]++
		p.evs = append(p.evs, model.Event{RequestID: p.r.ID, ActorKind: booker.kind, ActorID: booker.id, ActorName: booker.name,
			Channel: model.ChannelPhone, Kind: "appointment", OldValue: fmt.Sprint(a.ID), NewValue: store.AppointmentSummary(&a),
			CreatedAt: at})
		p.r.UpdatedAt = at
		return
	}
}
