package assistant_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aftercare/aftercare/internal/assistant"
	"github.com/aftercare/aftercare/internal/demo"
	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// qualitySet is the search-quality test set: questions as customers put
// them, in both languages, paraphrased so that they do not repeat the
// articles' wording, each with the topic (demo.KBTopics) that answers it.
var qualitySet = []struct{ key, q string }{
	{"warranty-period", "新买的洗衣机质保几年"},
	{"warranty-period", "手机坏了，买了十个月还能免费修吗"},
	{"warranty-period", "How many years is my fridge guaranteed for?"},
	{"warranty-period", "Is the compressor covered longer than the rest of the AC?"},
	{"warranty-check", "怎么知道我的机器过没过保"},
	{"warranty-check", "在哪看设备的保修到哪天"},
	{"warranty-check", "Where can I see when my coverage runs out?"},
	{"warranty-check", "Is my camera still covered? I have the serial"},
	{"return-policy", "收到货不喜欢能退吗，钱多久到账"},
	{"return-policy", "不想要了可以退款吗"},
	{"return-policy", "I changed my mind, can I send it back and get my money back?"},
	{"return-policy", "who pays postage when I return something I don't want"},
	{"exchange-policy", "刚买一周就坏了，能直接换台新的吗"},
	{"exchange-policy", "新机有毛病可以调换吗"},
	{"exchange-policy", "It broke after a week, can I get a new one instead of a repair?"},
	{"exchange-policy", "swap a faulty new unit for another"},
	{"extended-warranty", "保修快到期了，能再加几年吗"},
	{"extended-warranty", "延保怎么买，包括哪些"},
	{"extended-warranty", "Can I buy extra years of cover before mine expires?"},
	{"extended-warranty", "extended plan what does it include"},
	{"service-centres", "成都有没有维修点，几点关门"},
	{"service-centres", "离我最近的售后在哪里"},
	{"service-centres", "Is there a repair shop in Wuhan and what are the hours?"},
	{"service-centres", "nearest service location to me"},
	{"mail-in", "我不在城里，能把相机邮寄过去修吗"},
	{"mail-in", "快递送修要注意什么"},
	{"mail-in", "Can I post my camera to you for repair?"},
	{"mail-in", "how should I pack a device I ship for repair"},
	{"home-visit", "冰箱坏了能不能让师傅来家里"},
	{"home-visit", "上门修空调收不收钱"},
	{"home-visit", "Can an engineer come to my house to look at the washer?"},
	{"home-visit", "is there a fee for an onsite visit"},
	{"repair-fees", "过了保修修一次要多少钱"},
	{"repair-fees", "保外维修贵不贵，换的零件保多久"},
	{"repair-fees", "How much will I pay for a repair if I'm out of warranty?"},
	{"repair-fees", "price of fixing after guarantee ended"},
	{"ac-not-cooling", "空调开了半天还是不凉"},
	{"ac-not-cooling", "KFR-35GW 吹的是热风"},
	{"ac-not-cooling", "my aircon is running but the room stays warm"},
	{"ac-not-cooling", "KFR35GW blowing warm air"},
	{"ac-leaking", "空调内机往下滴水"},
	{"ac-leaking", "挂机一直在渗水怎么回事"},
	{"ac-leaking", "water is coming out of my indoor AC unit"},
	{"ac-leaking", "aircon leaks onto the floor"},
	{"ac-error-codes", "空调屏幕上显示E4"},
	{"ac-error-codes", "空调报F1是什么意思"},
	{"ac-error-codes", "AC display shows E1"},
	{"ac-error-codes", "what does F1 on my air conditioner mean"},
	{"washer-drain", "洗衣机里的水排不掉，报E21"},
	{"washer-drain", "滚筒里一直有积水"},
	{"washer-drain", "washing machine full of water and won't empty"},
	{"washer-drain", "E21 on my washer"},
	{"washer-shaking", "洗衣机甩干的时候晃得厉害"},
	{"washer-shaking", "脱水的时候声音特别大，机器会跑"},
	{"washer-shaking", "washer jumps around during spin cycle"},
	{"washer-shaking", "very loud banging when spinning"},
	{"fridge-not-cold", "冰箱保鲜室温度上不去，东西不冰"},
	{"fridge-not-cold", "冷藏不冷冷冻正常"},
	{"fridge-not-cold", "my fridge isn't keeping food cold"},
	{"fridge-not-cold", "refrigerator warm but freezer works"},
	{"water-heater", "热水器打开后没热水"},
	{"water-heater", "热水器显示E2"},
	{"water-heater", "no hot water from my boiler tank"},
	{"water-heater", "water heater shows E2 error"},
	{"phone-battery", "手机电用得特别快还发烫"},
	{"phone-battery", "手机续航不行了能换电池吗"},
	{"phone-battery", "my phone runs out of charge by noon"},
	{"phone-battery", "phone gets hot and battery dies quickly"},
	{"phone-reset", "手机怎么清空所有数据"},
	{"phone-reset", "手机开不了机怎么格式化"},
	{"phone-reset", "how do I wipe my phone completely"},
	{"phone-reset", "factory reset a phone that won't boot"},
	{"camera-lens-error", "相机开机提示镜头有问题"},
	{"camera-lens-error", "相机对不上焦"},
	{"camera-lens-error", "camera says lens error"},
	{"camera-lens-error", "my G7 X lens is stuck"},
	{"earbuds-pairing", "耳机只有左边响"},
	{"earbuds-pairing", "蓝牙耳机连不上手机"},
	{"earbuds-pairing", "only one earbud plays audio"},
	{"earbuds-pairing", "can't connect my buds to my phone"},
	{"robot-charging", "扫地机器人回不去充电"},
	{"robot-charging", "机器人不回充"},
	{"robot-charging", "robot vacuum won't go back to the dock"},
	{"robot-charging", "my robot cleaner stopped charging itself"},
}

// uncovered are questions no article answers: the assistant must say it
// is not sure.
var uncovered = []string{
	"火星上的天气怎么样", "你们公司的股票代码是多少", "推荐一家附近的火锅店", "洗碗机显示E3", "能开增值税专用发票吗",
	"What's the weather on Mars?", "Can I pay with bitcoin?", "Who won the football match yesterday?",
	"Does the dishwasher have a half-load mode?", "Do you sell gift cards?",
}

// TestSearchQuality measures the knowledge base's search on the demo
// articles with the question set above: the share of questions whose
// article (in the question's language) is in the top 3, and the
// assistant's confident answers. It fails below 80 % top-3.
func TestSearchQuality(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ids, err := demo.SeedArticles(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		k := kb.NewService(st)
		a := assistant.New(k, nil, assistant.Options{})
		top1, top3, confidentRight := map[string]int{}, map[string]int{}, 0
		total := map[string]int{}
		for _, c := range qualitySet {
			lang := assistant.Language(c.q)
			want := ids[c.key][0]
			if lang == "en" {
				want = ids[c.key][1]
			}
			hits, err := k.Search(ctx, model.Principal{}, kb.Query{Text: c.q, Locale: lang, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			total[lang]++
			found := false
			for i, h := range hits {
				if h.ID == want {
					found = true
					top3[lang]++
					if i == 0 {
						top1[lang]++
					}
				}
			}
			if !found {
				var got []string
				for _, h := range hits {
					got = append(got, h.Title)
				}
				t.Logf("miss [%s] %q: got %q", c.key, c.q, got)
			}
			ans, err := a.Ask(ctx, model.Principal{}, c.q, "")
			if err != nil {
				t.Fatal(err)
			}
			if ans.Confident && len(ans.Sources) > 0 && ans.Sources[0].ID == want {
				confidentRight++
			}
		}
		unsure := 0
		for _, q := range uncovered {
			ans, err := a.Ask(ctx, model.Principal{}, q, "")
			if err != nil {
				t.Fatal(err)
			}
			if !ans.Confident {
				unsure++
			} else {
				t.Logf("confident on an uncovered question %q: %q", q, ans.Text)
			}
		}
		n := len(qualitySet)
		rate := float64(top3["zh-CN"]+top3["en"]) / float64(n)
		t.Logf("%s: %d questions (%d zh-CN, %d en) over %d articles: top-1 %s, top-3 %s (zh-CN %s, en %s); "+
			"assistant confident and right %s; not sure on %d of %d uncovered questions",
			st.Dialect(), n, total["zh-CN"], total["en"], 2*len(ids), pct(top1["zh-CN"]+top1["en"], n),
			pct(top3["zh-CN"]+top3["en"], n), pct(top3["zh-CN"], total["zh-CN"]), pct(top3["en"], total["en"]),
			pct(confidentRight, n), unsure, len(uncovered))
		if rate < 0.8 {
			t.Errorf("top-3 hit rate %.2f, want at least 0.80", rate)
		}
		if unsure < len(uncovered)*8/10 {
			t.Errorf("not sure on %d of %d uncovered questions, want at least 80 %%", unsure, len(uncovered))
		}
	})
}

func pct(a, b int) string {
	return fmt.Sprintf("%d/%d = %.0f %%", a, b, 100*float64(a)/float64(max(b, 1)))
}
