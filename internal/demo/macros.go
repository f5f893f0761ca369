package demo

import (
	"context"
	"fmt"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// demoMacro is one of the demo's canned replies; owner is the e-mail of
// the demo login that wrote it.
type demoMacro struct {
	owner  string
	name   string
	shared bool
	en, zh string
	status model.Status
	tags   []string
}

// demoMacros are the canned replies of the demo: the ones the desk shares
// (written by the manager) and the demo agent's own, each in Chinese and
// English with placeholders, one asking the customer for photos that
// also sets the request to wait on the customer and tags it.
func demoMacros() []demoMacro {
	return []demoMacro{
		{owner: managerEmail, name: "请提供照片 · Ask for photos", shared: true,
			zh:     "{{customer.name}}您好，\n\n为了尽快判断服务单 {{request.number}} 的问题，请在回复中附上故障部位的照片或一段短视频，以及产品背面铭牌（序列号 {{unit.serial}}）的照片。\n\n收到后我们会在一个工作日内答复您。\n\n{{agent.name}}",
			en:     "Dear {{customer.name}},\n\nTo look into service request {{request.number}} quickly, please reply with a photo or a short video of the fault and a photo of the rating plate on the back (serial {{unit.serial}}).\n\nWe will answer within one working day of receiving them.\n\n{{agent.name}}",
			status: model.StatusPending, tags: []string{"needs-photos"}},
		{owner: managerEmail, name: "已收到寄修产品 · Repair unit received", shared: true,
			zh: "{{customer.name}}您好，\n\n我们已收到您寄来的{{product.name}}（服务单 {{request.number}}），工程师将在两个工作日内完成检测，并把检测结果和维修方案告诉您。\n\n{{agent.name}}",
			en: "Dear {{customer.name}},\n\nWe have received your {{product.name}} (service request {{request.number}}). An engineer will test it within two working days and tell you what was found and how we propose to repair it.\n\n{{agent.name}}"},
		{owner: managerEmail, name: "保修说明 · Warranty explained", shared: true,
			zh: "{{customer.name}}您好，\n\n关于服务单 {{request.number}}：您的{{product.name}}（序列号 {{unit.serial}}）的保修期从购买日期起计算。保修期内的维修不收取零件费和人工费；人为损坏、进水或私自拆机不在保修范围内。如需查看保修状态，可登录客户门户的“我的产品”。\n\n{{agent.name}}",
			en: "Dear {{customer.name}},\n\nAbout service request {{request.number}}: the warranty of your {{product.name}} (serial {{unit.serial}}) runs from the date of purchase. Repairs under warranty cost nothing for parts or labour; damage by accident, liquid or opening the unit yourself is not covered. You can see the warranty under \"My products\" in the customer portal.\n\n{{agent.name}}"},
		{owner: agentEmail, name: "已安排回电 · Call-back arranged", shared: false,
			zh: "{{customer.name}}您好，\n\n关于服务单 {{request.number}}，我会在今天下班前给您回电，届时请留意来电。如果这个时间不方便，请回复告诉我您方便的时间。\n\n{{agent.name}}",
			en: "Dear {{customer.name}},\n\nAbout service request {{request.number}}: I will call you back before the end of today. If that time does not suit you, reply with a time that does.\n\n{{agent.name}}"},
		{owner: agentEmail, name: "问题已解决 · Glad it is fixed", shared: false,
			zh:     "{{customer.name}}您好，\n\n很高兴问题已经解决。服务单 {{request.number}} 将标记为已解决；如果问题再次出现，直接回复这封邮件即可重新打开。\n\n感谢您的耐心。\n{{agent.name}}",
			en:     "Dear {{customer.name}},\n\nI am glad the problem is solved. Service request {{request.number}} is now marked resolved; if the problem comes back, just reply to this e-mail to reopen it.\n\nThank you for your patience.\n{{agent.name}}",
			status: model.StatusResolved},
	}
}

// seedMacros writes demoMacros for their owners among the staff.
func (g *gen) seedMacros(ctx context.Context, st *store.Store) (int, error) {
	owners := map[string]model.User{}
	for _, u := range g.staff.users {
		owners[u.Email] = u
	}
	list := demoMacros()
	for _, d := range list {
		u, ok := owners[d.owner]
		if !ok {
			return 0, fmt.Errorf("demo: macro %q: no user %s", d.name, d.owner)
		}
		m := &model.Macro{OwnerID: u.ID, OwnerName: u.Name, Name: d.name, Shared: d.shared, BodyEN: d.en, BodyZH: d.zh,
			Status: d.status, AddTags: d.tags}
		if err := st.CreateMacro(ctx, m); err != nil {
			return 0, fmt.Errorf("demo: macro %q: %w", d.name, err)
		}
	}
	return len(list), nil
}
