package demo

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// Product categories (model.Product.Category).
const (
	catCamera    = "camera"
	catLens      = "lens"
	catPhone     = "phone"
	catAppliance = "appliance"
	catAudio     = "audio"
)

// productSpec is one demo product model. fault weighs how often its units
// come back for repair, so that the analytics have a model that stands out.
type productSpec struct {
	sku, brand, name, category string
	months                     int
	parts, labour, shipping    bool
	fault                      int
}

// The demo catalogue: fictional brands, believable models.
var productSpecs = []productSpec{
	{"ORB-R8", "Orbis", "Orbis R8 全画幅无反相机", catCamera, 24, true, true, true, 3},
	{"ORB-R6M2", "Orbis", "Orbis R6 Mark II 全画幅无反相机", catCamera, 24, true, true, true, 3},
	{"ORB-M50", "Orbis", "Orbis M50 APS-C 微单相机", catCamera, 12, true, true, true, 3},
	{"ORB-G7X", "Orbis", "Orbis G7 X 便携数码相机", catCamera, 12, true, true, true, 4},
	{"KY-XT5", "Kaiyo", "Kaiyo X-T5 复古微单相机", catCamera, 24, true, true, true, 2},
	{"KY-X100", "Kaiyo", "Kaiyo X100 旁轴数码相机", catCamera, 12, true, true, true, 2},
	{"VT-ACT4", "Vantrek", "Vantrek Action 4 运动相机", catCamera, 12, true, true, false, 5},
	{"VT-360X", "Vantrek", "Vantrek 360 X 全景相机", catCamera, 12, true, true, false, 4},
	{"ORB-RF2470", "Orbis", "Orbis RF 24-70mm F2.8 L 标准变焦镜头", catLens, 24, true, true, true, 2},
	{"ORB-RF70200", "Orbis", "Orbis RF 70-200mm F2.8 L 远摄变焦镜头", catLens, 24, true, true, true, 2},
	{"ORB-RF50", "Orbis", "Orbis RF 50mm F1.8 定焦镜头", catLens, 12, true, true, true, 1},
	{"ORB-RF100M", "Orbis", "Orbis RF 100mm F2.8 微距镜头", catLens, 24, true, true, true, 1},
	{"KY-XF1655", "Kaiyo", "Kaiyo XF 16-55mm F2.8 变焦镜头", catLens, 24, true, true, true, 2},
	{"KY-XF56", "Kaiyo", "Kaiyo XF 56mm F1.2 人像镜头", catLens, 24, true, true, true, 1},
	{"SGX-35A", "Sigmax", "Sigmax 35mm F1.4 Art 定焦镜头", catLens, 12, true, false, false, 2},
	{"SGX-150600", "Sigmax", "Sigmax 150-600mm F5-6.3 超远摄镜头", catLens, 12, true, false, false, 3},
	{"NV-P60P", "Nuvo", "Nuvo P60 Pro 5G 手机", catPhone, 12, true, true, true, 5},
	{"NV-P60L", "Nuvo", "Nuvo P60 Lite 手机", catPhone, 12, true, true, true, 4},
	{"NV-FOLD3", "Nuvo", "Nuvo Fold 3 折叠屏手机", catPhone, 12, true, true, false, 9},
	{"NV-PAD11", "Nuvo", "Nuvo Pad 11 平板电脑", catPhone, 12, true, true, true, 2},
	{"LX-14U", "Lingxi", "Lingxi 14 Ultra 手机", catPhone, 12, true, true, true, 4},
	{"LX-14P", "Lingxi", "Lingxi 14 Pro 手机", catPhone, 12, true, true, true, 4},
	{"LX-N13", "Lingxi", "Lingxi Note 13 手机", catPhone, 12, true, true, true, 5},
	{"LX-W4", "Lingxi", "Lingxi Watch 4 智能手表", catPhone, 12, true, false, false, 3},
	{"HY-WM100", "Haiyun", "Haiyun 10kg 滚筒洗衣机 HW100", catAppliance, 24, true, true, true, 6},
	{"HY-DR90", "Haiyun", "Haiyun 9kg 热泵干衣机 HD90", catAppliance, 24, true, true, true, 3},
	{"HY-RF520", "Haiyun", "Haiyun 520L 十字对开门冰箱", catAppliance, 24, true, true, true, 4},
	{"HY-WH60", "Haiyun", "Haiyun 60L 一级能效电热水器", catAppliance, 24, true, true, true, 3},
	{"MK-AC35", "Meike", "Meike 1.5匹 变频挂式空调 KFR-35GW", catAppliance, 24, true, true, true, 6},
	{"MK-AC72", "Meike", "Meike 3匹 变频立式空调 KFR-72LW", catAppliance, 24, true, true, true, 4},
	{"MK-DW13", "Meike", "Meike 13套 嵌入式洗碗机", catAppliance, 12, true, true, false, 3},
	{"RB-S8", "Robee", "Robee S8 扫拖一体机器人", catAppliance, 12, true, false, false, 5},
	{"SN-WH9", "Sonique", "Sonique WH-9 头戴式降噪耳机", catAudio, 12, true, true, true, 3},
	{"SN-BUDS5", "Sonique", "Sonique Buds 5 真无线耳机", catAudio, 12, true, false, false, 5},
	{"SN-SB700", "Sonique", "Sonique Soundbar 700 回音壁", catAudio, 12, true, true, true, 2},
	{"SN-GO3", "Sonique", "Sonique Go 3 便携蓝牙音箱", catAudio, 12, true, true, true, 2},
	{"ED-R1700", "Edivox", "Edivox R1700 有源书架音箱", catAudio, 24, true, true, true, 1},
	{"ED-MINI2", "Edivox", "Edivox Mini 2 智能音箱", catAudio, 12, true, true, false, 2},
	{"NV-BUDS3", "Nuvo", "Nuvo FreeBuds 3 无线耳机", catAudio, 12, true, false, false, 4},
	{"SN-HP1", "Sonique", "Sonique HP-1 便携 HiFi 播放器", catAudio, 12, true, true, true, 1},
}

func (g *gen) makeProducts() {
	since := g.now.AddDate(-3, -1, 0)
	for i, p := range productSpecs {
		id := int64(i + 1)
		g.products = append(g.products, model.Product{ID: id, SKU: p.sku, Name: p.name, Brand: p.brand,
			Category: p.category, WarrantyMonths: p.months, CreatedAt: since.Add(time.Duration(i) * time.Minute)})
		g.policies = append(g.policies, model.WarrantyPolicy{ID: id, ProductID: id, Months: p.months,
			CoversParts: p.parts, CoversLabour: p.labour, CoversShipping: p.shipping})
	}
}

// categoryNode is a request category and its children.
type categoryNode struct {
	key, zh, en string
	children    []categoryNode
}

// The request category tree. Keys are what scenarios refer to.
var categoryTree = []categoryNode{
	{"hw", "硬件故障", "Hardware fault", []categoryNode{
		{"power", "无法开机", "Won't power on", nil},
		{"display", "屏幕/显示异常", "Display problem", nil},
		{"focus", "对焦/镜头异常", "Focus or lens problem", nil},
		{"battery", "电池与充电", "Battery and charging", nil},
		{"leak", "漏水", "Water leak", nil},
		{"cooling", "不制冷/不制热", "Not cooling or heating", nil},
		{"noise", "异响/噪音", "Noise", nil},
		{"damage", "进水/摔落损坏", "Liquid or drop damage", nil},
		{"errcode", "故障码报警", "Error code", nil},
		{"sound", "无声音/音质问题", "Sound problem", nil},
	}},
	{"sw", "软件与连接", "Software and connectivity", []categoryNode{
		{"firmware", "固件/系统升级", "Firmware or system update", nil},
		{"connect", "蓝牙/App 连接", "Bluetooth or app connection", nil},
		{"lag", "发热/卡顿", "Overheating or lag", nil},
	}},
	{"ret", "退换货", "Returns and exchanges", []categoryNode{
		{"noreason", "7天无理由退货", "7-day no-reason return", nil},
		{"defect", "质量问题换货", "Exchange for a defect", nil},
		{"missing", "发错货/缺件", "Wrong or missing item", nil},
	}},
	{"refund", "退款", "Refunds", []categoryNode{
		{"refundstatus", "退款进度", "Refund status", nil},
		{"pricedrop", "价格保护", "Price protection", nil},
	}},
	{"svc", "安装与保养", "Installation and maintenance", []categoryNode{
		{"install", "上门安装", "On-site installation", nil},
		{"clean", "清洗保养", "Cleaning and maintenance", nil},
	}},
	{"ask", "咨询", "Inquiries", []categoryNode{
		{"warranty", "保修政策", "Warranty policy", nil},
		{"howto", "使用指导", "How-to", nil},
		{"parts", "配件购买", "Parts and accessories", nil},
		{"extended", "延保服务", "Extended warranty", nil},
	}},
	{"complain", "投诉", "Complaints", []categoryNode{
		{"delay", "维修时效", "Repair delay", nil},
		{"attitude", "服务态度", "Staff attitude", nil},
		{"fee", "收费争议", "Fee dispute", nil},
	}},
}

func (g *gen) makeCategories() {
	g.catID = map[string]int64{}
	for _, top := range categoryTree {
		id := int64(len(g.categories) + 1)
		g.categories = append(g.categories, model.Category{ID: id, NameZh: top.zh, NameEn: top.en})
		g.catID[top.key] = id
		for _, c := range top.children {
			parent := id
			cid := int64(len(g.categories) + 1)
			g.categories = append(g.categories, model.Category{ID: cid, ParentID: &parent, NameZh: c.zh, NameEn: c.en})
			g.catID[c.key] = cid
		}
	}
}

// makeUnits creates n units: every customer owns at least one (the demo
// customer three), the rest go to random customers. Purchases spread over
// the last three years, a little denser recently.
func (g *gen) makeUnits(n int) {
	first := time.Date(g.now.Year()-3, g.now.Month(), g.now.Day(), 0, 0, 0, 0, time.UTC)
	days := int(g.now.Sub(first).Hours() / 24)
	seq := map[string]int{}
	g.units = make([]model.Unit, 0, n)
	g.unitsByProduct = make([][]int, len(g.products))
	g.unitsByCustomer = make([][]int, len(g.customers))
	demoSKUs := []int{0, 16, 24} // the demo customer's camera, phone and washing machine
	for i := range n {
		var cust, prod int
		switch {
		case i < len(demoSKUs):
			cust, prod = 0, demoSKUs[i]
		case i < len(g.customers)+len(demoSKUs)-1:
			cust, prod = i-len(demoSKUs)+1, g.rnd.IntN(len(g.products))
		default: // a second or third device, never for the demo customer
			cust, prod = 0, g.rnd.IntN(len(g.products))
			if len(g.customers) > 1 {
				cust = 1 + g.rnd.IntN(len(g.customers)-1)
			}
		}
		// sales grow: the density of purchase days rises linearly
		day := int(float64(days) * math.Sqrt(g.rnd.Float64()))
		if i < len(demoSKUs) {
			day = days - 40 - 150*i
		}
		bought := first.AddDate(0, 0, min(day, days-1))
		p := g.products[prod]
		code := strings.ReplaceAll(p.SKU, "-", "")
		seq[code]++
		u := model.Unit{ID: int64(i + 1), ProductID: p.ID, SKU: p.SKU, CustomerID: g.customers[cust].ID, PurchasedAt: bought,
			Serial: fmt.Sprintf("%s%02d%02d%05d", code, bought.Year()%100, bought.Month(), 10000+seq[code]*7+g.rnd.IntN(7))}
		switch r := g.rnd.IntN(10); {
		case r < 6:
			u.Channel = "online"
			shop := pick(g.rnd, []string{"JD", "TM", "OF"})
			u.OrderRef = fmt.Sprintf("%s%s%06d", shop, bought.Format("20060102"), g.rnd.IntN(1000000))
		case r < 9:
			u.Channel = "store"
			u.OrderRef = fmt.Sprintf("POS-%s-%s%04d", centres[g.custCity[cust]%len(centres)].code, bought.Format("060102"), g.rnd.IntN(10000))
		default:
			u.Channel = "dealer"
			u.OrderRef = fmt.Sprintf("DL%d-%s%03d", 100+g.rnd.IntN(60), bought.Format("0601"), g.rnd.IntN(1000))
		}
		u.CreatedAt = bought.Add(time.Duration(10+g.rnd.IntN(10))*time.Hour + time.Duration(g.rnd.IntN(3600))*time.Second)
		g.units = append(g.units, u)
		g.unitsByProduct[prod] = append(g.unitsByProduct[prod], i)
		g.unitsByCustomer[cust] = append(g.unitsByCustomer[cust], i)
	}
	// A customer record exists from the first purchase (or, for the
	// few without a unit, from some time in the last three years).
	for ci := range g.customers {
		c := &g.customers[ci]
		c.CreatedAt = g.now.Add(-time.Duration(g.rnd.Int64N(int64(3 * 365 * 24 * time.Hour))))
		for _, ui := range g.unitsByCustomer[ci] {
			if t := g.units[ui].CreatedAt.Add(-time.Hour); t.Before(c.CreatedAt) {
				c.CreatedAt = t
			}
		}
		c.CreatedAt = c.CreatedAt.Truncate(time.Second)
	}
}
