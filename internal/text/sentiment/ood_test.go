package sentiment

import "testing"

// oodComments are comments from domains none of the training sets
// covers (hotels, restaurants, repair and after-sales service), written
// for this test. They guard the cross-domain behaviour the model is built
// for; they are too few to estimate its accuracy.
var oodComments = []struct {
	text  string
	label int
}{
	{"房间干净整洁，前台服务热情，早餐也很丰富，下次还住这里", 1},
	{"酒店位置很好，离地铁站很近，交通方便", 1},
	{"房间隔音太差了，一晚上没睡好，设施也很陈旧", 0},
	{"卫生间有异味，床单上还有头发，太恶心了", 0},
	{"性价比很高，服务周到，推荐入住", 1},
	{"前台态度冷漠，办理入住等了半个小时", 0},
	{"师傅上门很准时，半小时就修好了，收费也合理", 1},
	{"报修三天了还没人来，打客服电话一直推脱", 0},
	{"修完第二天又坏了，白花了两百块", 0},
	{"工程师很专业，耐心讲解了故障原因，点赞", 1},
	{"维修进度一直没有通知，问了几次都说在处理", 0},
	{"网点离家很近，取件方便，整个流程很顺利", 1},
	{"乱收费，明明在保修期内还要收上门费", 0},
	{"服务很好，问题一次就解决了，非常满意", 1},
	{"电影情节拖沓，演员演技尴尬，浪费时间", 0},
	{"这部电影太感人了，值得一看", 1},
	{"The room was spotless and the staff were incredibly welcoming.", 1},
	{"Great location, friendly front desk, would stay again.", 1},
	{"The room smelled of smoke and the air conditioning was broken.", 0},
	{"Noisy, dirty and overpriced. Avoid.", 0},
	{"The technician arrived on time and fixed the washer in twenty minutes.", 1},
	{"Three weeks and still no update on my repair.", 0},
	{"They charged me twice for the same visit and nobody returned my calls.", 0},
	{"Very helpful support agent, solved my problem quickly.", 1},
	{"The food was delicious and the service was excellent.", 1},
	{"We waited over an hour and the pasta was cold.", 0},
	{"Friendly staff and reasonable prices.", 1},
	{"The waiter was rude and the steak was overcooked.", 0},
	{"Not bad at all, I would come back.", 1},
	{"Honestly the worst customer service I have ever experienced.", 0},
}

func TestOutOfDomainComments(t *testing.T) {
	m := mustModel(t)
	wrong := 0
	for _, c := range oodComments {
		p := m.Predict(c.text)
		if p.Label != c.label {
			wrong++
			t.Logf("Predict(%q) = %d (score %.3f), want %d", c.text, p.Label, p.Score, c.label)
		}
	}
	// Allow one miss in thirty: the point is the general behaviour.
	if wrong > 1 {
		t.Errorf("%d of %d out-of-domain comments misclassified, want at most 1", wrong, len(oodComments))
	}
}
