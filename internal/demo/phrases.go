package demo

// Conversation pieces shared by every scenario of a kind, with a few
// variants each so that neighbouring requests do not read alike. Index 0 is
// Chinese, 1 English.

// flow is how a request is worked: which pieces of conversation it gets.
type flow int

const (
	flowMailIn   flow = iota // repair by mail-in (cameras, phones, audio)
	flowOnSite               // a technician visits (appliances)
	flowReturn               // return, exchange, refund: goods or money come back
	flowAnswer               // support and inquiries: the agent answers
	flowComplain             // complaints: a manager follows up
	flowCheck                // missing items, refunds, price protection: the agent checks records
)

type phrases [2][]string

var acks = map[flow]phrases{
	flowMailIn: {{
		"您好 {cust}，已收到您的报修，我是客服 {agent}。已为您生成免费寄修单，请将设备（无需寄送充电器）包装好后寄至{centre}，顺丰上门取件，运费由我们承担。",
		"您好，感谢您的反馈！您的设备在保修期内，可享受免费寄修。我们已预约快递明天上门取件，收到设备后工程师会在 1 个工作日内完成检测。",
		"{cust} 您好，我是 {agent}。已为您登记寄修，寄修地址：{centre}维修部。寄出前请备份数据并关闭查找功能。",
	}, {
		"Hi {cust}, this is {agent}. We've received your repair request and created a free mail-in label. Please pack the device (no charger needed); SF Express will pick it up and we pay the shipping to {centre}.",
		"Hello {cust}, thanks for reporting this. Your unit is under warranty, so the mail-in repair is free. A courier will collect it tomorrow and an engineer will inspect it within one working day of arrival.",
		"Hi {cust}, {agent} here. Your mail-in repair is registered with {centre}. Please back up your data and turn off device tracking before sending it.",
	}},
	flowOnSite: {{
		"您好 {cust}，已收到您的报修。已为您安排{centre}的工程师 {tech} 上门，工程师会在上门前 1 小时电话联系您。",
		"您好，我是客服 {agent}。已为您预约明天 14:00–16:00 上门服务，工程师 {tech} 会携带常用配件，请保持电话畅通。",
		"{cust} 您好，报修已登记，{centre}将安排工程师在 24 小时内联系您确认上门时间。",
	}, {
		"Hi {cust}, we've received your request. Engineer {tech} from {centre} will visit and will call you an hour before arriving.",
		"Hello {cust}, this is {agent}. We've booked a visit tomorrow between 14:00 and 16:00; engineer {tech} will bring common parts. Please keep your phone on.",
		"Hi {cust}, your request is registered. {centre} will call you within 24 hours to arrange the visit.",
	}},
	flowReturn: {{
		"您好 {cust}，已收到您的申请，我是客服 {agent}。已为您生成退货单，快递员将在 24 小时内上门取件，请保持商品及配件完整。",
		"您好，您的申请已受理。请将商品连同全部配件、包装寄回，寄回后在本服务单回复运单号即可，我们收到后 48 小时内处理。",
	}, {
		"Hi {cust}, this is {agent}. Your request is approved and a return label has been created; a courier will collect the item within 24 hours. Please include all accessories.",
		"Hello {cust}, we've accepted your request. Please send the item back with all accessories and packaging, and reply here with the tracking number. We process returns within 48 hours of receipt.",
	}},
	flowCheck: {{
		"您好 {cust}，已收到您的反馈，我是客服 {agent}。我们正在核实订单 {order} 的记录，会在 24 小时内给您答复。",
		"您好，您的申请已受理，已转交相关部门核实，处理结果会在本服务单中通知您。",
	}, {
		"Hi {cust}, this is {agent}. We're checking the records for order {order} and will get back to you within 24 hours.",
		"Hello {cust}, we've received your request and passed it to the team that handles it; you'll hear back here.",
	}},
	flowComplain: {{
		"{cust} 您好，非常抱歉给您带来不好的体验。您的投诉已升级至{centre}主管处理，我们会在 24 小时内给您答复。",
		"您好，我是客服 {agent}，您反映的问题我们非常重视，已转交服务主管跟进，请您放心。",
	}, {
		"Hi {cust}, we're very sorry about your experience. Your complaint has been escalated to the {centre} manager and we'll get back to you within 24 hours.",
		"Hello {cust}, this is {agent}. We take this seriously and have passed it to the service manager, who will follow up personally.",
	}},
}

var asks = map[flow]phrases{
	flowMailIn: {{
		"为了更快定位问题，麻烦您提供一段故障现象的视频，以及购买凭证（电子发票或订单截图）。",
		"请问设备是否有过摔落或进水？另外请提供购买凭证，以便确认保修状态。",
	}, {
		"To speed things up, could you send a short video of the fault and your proof of purchase (invoice or order screenshot)?",
		"Has the device ever been dropped or exposed to liquid? Please also send your proof of purchase so we can confirm the warranty.",
	}},
	flowOnSite: {{
		"麻烦您拍一下机身侧面铭牌和故障代码的照片，方便工程师提前准备配件。",
		"请问您方便的上门时间是哪天？工作日和周末都可以安排。",
	}, {
		"Could you send a photo of the rating plate and the error code so the engineer can bring the right parts?",
		"Which day suits you for the visit? We can come on weekdays or at the weekend.",
	}},
	flowReturn: {{"商品寄出后请在这里回复运单号，我们好跟踪进度。", "请提供商品照片（含外包装）以便审核。"},
		{"Once you've sent it, please reply with the tracking number so we can follow it.", "Please send photos of the item and its packaging for review."}},
	flowCheck: {{"麻烦提供一下订单截图或付款记录，方便我们核实。"},
		{"Could you send a screenshot of the order or the payment record so we can check?"}},
	flowAnswer: {{"请问您的设备固件/系统版本是多少？可以在“设置 > 关于”中查看。", "方便的话请提供一下设备的序列号。"},
		{"Which firmware/system version is the device on? You'll find it under Settings > About.", "Could you send us the serial number of the device?"}},
	flowComplain: {{"为了核实情况，麻烦您提供一下当时的服务单号或截图。"},
		{"To look into it, could you send the service order number or a screenshot?"}},
}

var answers = map[flow]phrases{
	flowMailIn:   {{"视频和发票已经上传了，麻烦尽快处理。", "没有摔过也没进水，发票截图发给你们了。", "好的，已经寄出了，顺丰单号 {tracking}。"}, {"I've uploaded the video and the invoice.", "It has never been dropped or wet. Invoice screenshot attached.", "OK, sent it today, SF tracking {tracking}."}},
	flowOnSite:   {{"照片已经上传，故障代码是屏幕上显示的那个。", "周六上午在家，麻烦安排一下。"}, {"Photos uploaded, the code is the one on the display.", "I'm home on Saturday morning, please book that."}},
	flowReturn:   {{"已经寄出了，运单号 {tracking}。", "照片已上传，包装都还在。"}, {"Sent it today, tracking {tracking}.", "Photos uploaded, I still have all the packaging."}},
	flowCheck:    {{"截图已经上传了，麻烦尽快处理。"}, {"Screenshot uploaded, please sort it out soon."}},
	flowAnswer:   {{"版本是最新的，刚查过。", "序列号发你们了，在机身底部找到的。"}, {"It's on the latest version, I just checked.", "Sent the serial number, found it on the bottom of the unit."}},
	flowComplain: {{"截图已经发了，希望尽快给个说法。"}, {"Screenshot sent. I'd like an answer soon."}},
}

// confirms are the customer's answer to an agent's explanation.
var confirms = phrases{{"按照步骤操作后可以了，谢谢！", "试了一下，已经好了，感谢耐心解答。", "明白了，谢谢！"},
	{"Followed the steps and it works now, thanks!", "Tried it and it's fine now, thanks for the patience.", "Got it, thank you!"}}

var holds = phrases{{
	"您好，检测后需要更换配件，目前配件正在从总仓调拨，预计 {days} 个工作日到货，到货后会第一时间为您处理。",
	"您好，所需配件暂时缺货，我们已加急申请，预计 {days} 天内到货，期间有进展会及时通知您。",
}, {
	"Hi {cust}, the repair needs a part that is being transferred from our central warehouse; expected in {days} working days. We'll continue as soon as it arrives.",
	"Hello {cust}, the part we need is out of stock; we've expedited the order and expect it within {days} days. We'll keep you posted.",
}}

var resumes = phrases{{"配件已到货，继续处理。", "配件已到，已安排工程师。"}, {"Part arrived, continuing.", "Parts in, engineer scheduled."}}

var receipts = phrases{{"已收到设备 {serial}，外观轻微使用痕迹，无明显磕碰，附件：主机。开始检测。", "设备已签收入库，序列号 {serial} 与登记一致，保修状态已核实。"},
	{"Received unit {serial}: light wear, no dents, accessories: body only. Starting diagnosis.", "Unit checked in, serial {serial} matches the record, warranty status verified."}}

var thanks = phrases{{"收到了，已经正常了，谢谢你们！", "问题解决了，服务很好，谢谢。", "好的，确认没问题了。"},
	{"Got it, everything works now — thank you!", "Problem solved, great service, thanks.", "Confirmed, all good now."}}

var reopens = phrases{{"用了几天又出现同样的问题了，麻烦再帮忙看一下。", "问题又出现了，比之前还频繁。"},
	{"After a few days the same problem is back, please take another look.", "It's happening again, even more often than before."}}

var rechecks = phrases{{"复检：上次维修后故障复现，更换相关组件并延长老化测试至 24 小时，正常。", "复检：重新排查，发现关联部件接触不良，已处理并复测通过。"},
	{"Recheck: fault recurred after the repair; replaced the related component and extended burn-in to 24 h, fine.", "Recheck: found a related connector loose, fixed and retested OK."}}

var cancels = phrases{{"不用了，问题自己好了，取消吧。", "已经在别处处理了，麻烦取消这个服务单。", "我再考虑一下，先取消申请。"},
	{"Never mind, the problem went away by itself. Please cancel.", "I've had it sorted elsewhere, please cancel this request.", "I'll think it over, please cancel for now."}}

var followups = phrases{{"回访：客户表示问题已解决，对处理速度满意，评分 5 分。", "回访：客户满意，建议后续可主动告知进度。", "回访：电话未接通，已发送短信回访链接。"},
	{"Follow-up call: customer confirms the fix and is happy with the speed, 5/5.", "Follow-up call: satisfied; suggested we send progress updates proactively.", "Follow-up call: no answer, sent the survey link by SMS."}}

var triageNotes = phrases{{"已核实购买记录：订单 {order}，在保修期内。", "已核实：设备已过保修期，维修需收费，已提前告知客户。", "客户为老客户，之前有过服务记录，注意优先处理。"},
	{"Purchase verified: order {order}, under warranty.", "Verified: out of warranty, repair will be charged; customer informed in advance.", "Returning customer with earlier service history, handle with priority."}}
