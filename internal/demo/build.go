package demo

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/aftercare/aftercare/internal/model"
)

// playRange builds and plays specs[from:to], numbering them in order.
func (g *gen) playRange(specs []spec, from, to int) ([]model.Request, []model.Message, []model.Event) {
	reqs := make([]model.Request, 0, to-from)
	var msgs []model.Message
	var evs []model.Event
	for i := from; i < to; i++ {
		p := g.playOne(&specs[i], int64(i+1))
		g.bookDemoAppointment(p, &specs[i])
		for k := range p.evs {
			p.evs[k].ID = g.nextEventID
			g.nextEventID++
		}
		reqs = append(reqs, *p.r)
		msgs = append(msgs, p.msgs...)
		evs = append(evs, p.evs...)
	}
	return reqs, msgs, evs
}

// englishName drops the Chinese words of a product name ("Orbis R8
// 全画幅无反相机" → "Orbis R8") for English conversations.
func englishName(name string) string {
	var keep []string
	for _, w := range strings.Fields(name) {
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			keep = append(keep, w)
		}
	}
	return strings.Join(keep, " ")
}

func (g *gen) playOne(sp *spec, id int64) *play {
	c := &g.customers[sp.cust]
	sc := sp.sc
	lang := 0
	if c.Locale == "en" {
		lang = 1
	}
	team := cities[g.custCity[sp.cust]].centre
	st := &g.staff
	agentIdx := pick(g.rnd, st.agents[team])
	if lang == 1 && g.rnd.IntN(10) < 7 {
		agentIdx = st.agents[team][1] // the centre's English-speaking agent
	}
	techIdx, managerIdx := pick(g.rnd, st.techs[team]), st.managers[team]
	if sp.cust == 0 {
		// The demo customer is looked after by the demo agent and
		// technician, so the logins show the same requests.
		agentIdx, techIdx = st.agents[team][0], st.techs[team][0]
	}
	agent, tech, manager := g.staffWho(agentIdx), g.staffWho(techIdx), g.staffWho(managerIdx)
	f := flowOf(sc)
	assignee := agent
	switch f {
	case flowMailIn, flowOnSite:
		assignee = tech
	case flowComplain:
		assignee = manager
	}
	customer := who{model.AuthorCustomer, &c.ID, c.Name}

	year := sp.created.In(g.loc).Year()
	g.counters[year]++
	r := &model.Request{ID: id, Number: fmt.Sprintf("SR-%d-%06d", year, g.counters[year]), Type: sc.typ,
		Status: model.StatusNew, Priority: g.priority(sc.typ), CustomerID: c.ID, Version: 1,
		CreatedAt: sp.created, UpdatedAt: sp.created, CustomerName: c.Name}
	txt := sc.zh
	if lang == 1 {
		txt = sc.en
	}
	r.Subject, r.Description = txt.subject, txt.desc

	product, serial, order := "", "", ""
	if sp.unit >= 0 {
		u := &g.units[sp.unit]
		r.UnitID = &u.ID
		product, serial, order = g.products[u.ProductID-1].Name, u.Serial, u.OrderRef
		if lang == 1 {
			product = englishName(product)
		}
	}
	creator := customer
	r.Channel = g.channel(sc)
	switch r.Channel {
	case model.ChannelPhone:
		creator = agent
	case model.ChannelAPI:
		creator = who{model.AuthorSystem, nil, "order-system"}
	case model.ChannelDevice:
		creator = who{model.AuthorSystem, nil, "device-telemetry"}
		if lang == 1 {
			r.Subject = "Device reported error E4: {product}"
			r.Description = "Created from device telemetry: unit {serial} reported error E4 (drain timeout) three times in a row."
		} else {
			r.Subject = "设备自动上报故障码 E4：{product}"
			r.Description = "设备遥测自动创建：序列号 {serial} 连续 3 次上报故障码 E4（排水超时）。"
		}
	}
	if r.Channel == model.ChannelWeb && g.rnd.IntN(2) == 0 {
		cat := g.catID[sc.cat]
		r.CategoryID = &cat // the customer chose it in the portal
	}
	centreName := centres[team].team
	if lang == 1 {
		centreName = centres[team].en
	}
	rep := newFill("{product}", product, "{serial}", serial, "{cust}", c.Name,
		"{agent}", agent.name, "{tech}", tech.name, "{centre}", centreName, "{order}", order,
		"{tracking}", fmt.Sprintf("SF%d", 1400000000000+g.rnd.Int64N(99999999999)),
		"{fee}", fmt.Sprint(180+10*g.rnd.IntN(110)), "{days}", fmt.Sprint(3+g.rnd.IntN(5)))
	r.Subject, r.Description = rep.Replace(r.Subject), rep.Replace(r.Description)

	msgChannel := r.Channel
	if msgChannel == model.ChannelAPI || msgChannel == model.ChannelDevice {
		msgChannel = model.ChannelPhone // the agent calls the customer back
	}
	p := &play{g: g, r: r, t: sp.created, force: sp.force, lang: lang, rep: rep, channel: msgChannel,
		sc: sc, teamID: int64(team + 1)}
	p.run(sp, customer, agent, assignee, manager, tech, creator)
	return p
}

// channel picks where a request came from.
func (g *gen) channel(sc *scenario) model.Channel {
	x := g.rnd.IntN(100)
	switch {
	case strings.Contains(sc.zh.subject, "E4") && x < 30:
		return model.ChannelDevice
	case (sc.typ == model.TypeReturn || sc.typ == model.TypeRefund) && x < 25:
		return model.ChannelAPI
	case x < 50:
		return model.ChannelWeb
	case x < 75:
		return model.ChannelPhone
	default:
		return model.ChannelEmail
	}
}

// priority picks a priority for a request type.
func (g *gen) priority(t model.RequestType) model.Priority {
	x := g.rnd.IntN(100)
	switch t {
	case model.TypeComplaint:
		switch {
		case x < 15:
			return model.PriorityUrgent
		case x < 60:
			return model.PriorityHigh
		}
		return model.PriorityNormal
	case model.TypeInquiry, model.TypeMaintenance:
		if x < 55 {
			return model.PriorityLow
		}
		return model.PriorityNormal
	}
	switch {
	case x < 4:
		return model.PriorityUrgent
	case x < 22:
		return model.PriorityHigh
	case x < 88:
		return model.PriorityNormal
	}
	return model.PriorityLow
}
