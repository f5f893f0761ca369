package analyze

import (
	"fmt"
	"strings"

	"github.com/aftercare/aftercare/internal/evaluate"
)

// reportText holds every heading and label of the HTML report in one
// language. A struct rather than a map keeps a missing translation a
// compile error.
type reportText struct {
	Lang, DefaultTitle, Generated, Source, Rows                 string
	Contents                                                    string
	Scores, Kind, Column, N, Dropped, Value, CI, Reliability    string
	Reliable, Unreliable, UnreliableNote, NeverWithoutN         string
	SmallSampleNote                                             string
	Drivers, DriversIntro, R2, Predictor, Mean, R, Beta         string
	RelWeight, Share, LMG, Quadrant, IPAChart, IPAX, IPAY       string
	Q1, Q2, Q3, Q4, ShareChart, FixFirst, FixNone, CrossHairs   string
	Entropy, EntropyIntro, Indicator, EntropyCol, Weight, Type  string
	Benefit, Cost, Alternative, Score, WeightChart, ScoreChart  string
	Normalization, Rank, TopOf                                  string
	Distributions, DistIntro, Count, Missing, RatingOf          string
	Kano, Attribute, Category, Better, Worse                    string
	NotClassifiable                                             string
	CSAT, NPS, CES, Agree, Satisfied, Promoters, Detractors, SD string
	Footer                                                      string
	QuadrantNames                                               map[evaluate.Quadrant]string
	KanoNames                                                   map[string]string
}

// reportTexts returns the labels for lang ("zh-CN" or anything starting
// with "zh"; everything else is English).
func reportTexts(lang string) reportText {
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		return reportText{
			Lang: "zh-CN", DefaultTitle: "满意度分析报告", Generated: "生成时间", Source: "数据文件", Rows: "数据行数",
			Contents: "目录",
			Scores:   "单题指标", Kind: "指标", Column: "列", N: "样本量 n", Dropped: "剔除（缺失）", Value: "数值",
			CI: "95% 置信区间", Reliability: "可靠性", Reliable: "可靠", Unreliable: "不可靠",
			UnreliableNote:  "置信区间宽于 ±10 个百分点，该数值不可靠（灰色显示），请收集更多样本。",
			SmallSampleNote: "样本少于 30 个，无论置信区间多窄，该数值都不可靠（灰色显示），请收集更多样本。",
			NeverWithoutN:   "每个指标均注明样本量 n；缺失值（空白或 NA）所在行已剔除。",
			Drivers:         "驱动因素分析", DriversIntro: "以总体满意度为因变量，各维度评分为自变量（完整个案）。",
			R2: "R²", Predictor: "维度", Mean: "均值（表现）", R: "相关系数 r", Beta: "标准化 β",
			RelWeight: "相对权重 ε", Share: "重要性占比", LMG: "Shapley/LMG", Quadrant: "IPA 象限",
			IPAChart: "重要性—表现分析（IPA）", IPAX: "表现（平均评分）", IPAY: "重要性（相对权重占比）",
			Q1: "I 重点改进", Q2: "II 继续保持", Q3: "III 次要改进", Q4: "IV 过度投入",
			ShareChart: "相对权重占比", FixFirst: "优先改进（第 I 象限，按重要性排序）", FixNone: "无",
			CrossHairs: "参考线：表现 %s，重要性 %s",
			Entropy:    "熵权法综合评价", EntropyIntro: "行为评价对象，列为指标。", Indicator: "指标", EntropyCol: "信息熵 e",
			Weight: "权重 w", Type: "类型", Benefit: "效益型", Cost: "成本型", Alternative: "评价对象", Score: "综合得分",
			WeightChart: "指标权重", ScoreChart: "综合得分", Normalization: "标准化方法",
			Rank: "排名", TopOf: "仅列出得分最高的 %d 个（共 %d 个）。",
			Distributions: "评分分布", DistIntro: "各列评分的频数分布（剔除缺失值）。", Count: "频数", Missing: "缺失",
			RatingOf: "评分",
			Kano:     "Kano 模型", Attribute: "属性", Category: "类别", Better: "Better 系数", Worse: "Worse 系数", NotClassifiable: "无法归类（无有效回答，或只有反向/可疑回答）",
			CSAT: "CSAT 满意率", NPS: "NPS 净推荐值", CES: "CES 客户费力度", Agree: "同意比例（5–7）",
			Satisfied: "满意（4–5）", Promoters: "推荐者", Detractors: "贬损者", SD: "标准差",
			Footer: "由 aftercare analyze report 生成；图表为内嵌 SVG，无需联网。",
			QuadrantNames: map[evaluate.Quadrant]string{
				evaluate.QuadrantConcentrate: "I 重点改进", evaluate.QuadrantKeepUp: "II 继续保持",
				evaluate.QuadrantLowPriority: "III 次要改进", evaluate.QuadrantOverkill: "IV 过度投入",
			},
			KanoNames: map[string]string{"A": "魅力型", "O": "期望型", "M": "必备型", "I": "无差异型", "R": "反向型", "Q": "可疑结果"},
		}
	}
	return reportText{
		Lang: "en", DefaultTitle: "Satisfaction analysis report", Generated: "Generated", Source: "Data file", Rows: "Data rows",
		Contents: "Contents",
		Scores:   "Scores", Kind: "Score", Column: "Column", N: "n", Dropped: "Dropped (missing)", Value: "Value",
		CI: "95 % interval", Reliability: "Reliability", Reliable: "reliable", Unreliable: "unreliable",
		UnreliableNote:  "The interval is wider than ±10 points: the figure is unreliable (greyed out); collect more answers.",
		SmallSampleNote: "Fewer than 30 answers: the figure is unreliable whatever its interval (greyed out); collect more answers.",
		NeverWithoutN:   "Every score is shown with its n; rows with an empty or NA answer are dropped.",
		Drivers:         "Key drivers", DriversIntro: "Overall rating regressed on the dimension ratings (complete cases).",
		R2: "R²", Predictor: "Dimension", Mean: "Mean (performance)", R: "r", Beta: "β (standardised)",
		RelWeight: "Relative weight ε", Share: "Importance share", LMG: "Shapley/LMG", Quadrant: "IPA quadrant",
		IPAChart: "Importance–performance analysis (IPA)", IPAX: "Performance (mean rating)", IPAY: "Importance (relative-weight share)",
		Q1: "I Concentrate here", Q2: "II Keep up the good work", Q3: "III Low priority", Q4: "IV Possible overkill",
		ShareChart: "Relative-weight share", FixFirst: "Fix this first (quadrant I, most important first)", FixNone: "none",
		CrossHairs: "Cross-hairs: performance %s, importance %s",
		Entropy:    "Entropy-weighted composite index", EntropyIntro: "Rows are alternatives, columns indicators.",
		Indicator: "Indicator", EntropyCol: "Entropy e", Weight: "Weight w", Type: "Type", Benefit: "benefit", Cost: "cost",
		Alternative: "Alternative", Score: "Score", WeightChart: "Indicator weights", ScoreChart: "Composite scores",
		Normalization: "Normalisation", Rank: "Rank", TopOf: "Showing the top %d of %d.",
		Distributions: "Rating distributions", DistIntro: "Frequency of each answer per column (missing values excluded).",
		Count: "Count", Missing: "missing", RatingOf: "Rating",
		Kano: "Kano", Attribute: "Attribute", Category: "Category", Better: "Better", Worse: "Worse",
		NotClassifiable: "not classifiable (no complete answers, or only reverse/questionable ones)",
		CSAT:            "CSAT", NPS: "NPS", CES: "CES", Agree: "Agree (5–7)",
		Satisfied: "Satisfied (4–5)", Promoters: "Promoters", Detractors: "Detractors", SD: "SD",
		Footer: "Generated by aftercare analyze report; charts are inline SVG and need no network.",
		QuadrantNames: map[evaluate.Quadrant]string{
			evaluate.QuadrantConcentrate: "I Concentrate here", evaluate.QuadrantKeepUp: "II Keep up the good work",
			evaluate.QuadrantLowPriority: "III Low priority", evaluate.QuadrantOverkill: "IV Possible overkill",
		},
		KanoNames: map[string]string{"A": "attractive", "O": "one-dimensional", "M": "must-be", "I": "indifferent", "R": "reverse", "Q": "questionable"},
	}
}

// scoreName is the translated name of a score kind.
func (t reportText) scoreName(kind string) string {
	switch kind {
	case "csat":
		return t.CSAT
	case "nps":
		return t.NPS
	case "ces":
		return t.CES
	}
	return kind
}

// crossHairs formats the cross-hair note.
func (t reportText) crossHairs(perf, imp float64) string {
	return fmt.Sprintf(t.CrossHairs, f4(perf), f4(imp))
}
