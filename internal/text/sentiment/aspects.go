package sentiment

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// zhTerm is a Chinese aspect keyword; an occurrence inside one of the
// not words (快 inside 快递 or 愉快) does not count.
type zhTerm struct {
	s   string
	not []string
}

// aspectDef is one aspect with its bilingual keywords.
type aspectDef struct {
	name string
	dim  model.Dimension
	zh   []zhTerm
	en   []string // lower-case whole words
}

func zt(words ...string) []zhTerm {
	ts := make([]zhTerm, len(words))
	for i, w := range words {
		ts[i] = zhTerm{s: w}
	}
	return ts
}

// aspectDefs lists the aspects in the order they are reported.
//
// Attitude maps onto DimProcess (流程规范), not DimLoyalty: in after-sales
// service standards, how staff treat a customer (courtesy, patience,
// explaining what happens next) is part of the prescribed service
// conduct, which the process dimension measures; loyalty is the outcome
// that driver analysis regresses the other dimensions on, so feeding a
// driver into it would blur that analysis. Delivery counts towards
// efficiency, packaging towards technical quality, and explicit verdicts
// (recommend, never again) towards loyalty.
func aspectDefs() []aspectDef {
	return []aspectDef{
		{name: "price", dim: model.DimPrice,
			zh: zt("价格", "价钱", "价位", "收费", "费用", "贵", "便宜", "性价比", "实惠", "划算", "报价", "多收", "加价", "钱"),
			en: []string{"price", "prices", "priced", "pricing", "expensive", "cheap", "cheaper", "fee", "fees", "cost", "costs",
				"charge", "charged", "charges", "overpriced", "affordable", "money", "pricey", "bill"}},
		{name: "attitude", dim: model.DimProcess,
			zh: zt("态度", "客服", "服务员", "耐心", "热情", "礼貌", "师傅", "工作人员", "店员", "小哥", "快递员", "骑手", "服务", "老板", "脾气"),
			en: []string{"attitude", "staff", "rude", "friendly", "polite", "service", "support", "agent", "technician",
				"waiter", "waitress", "employee", "employees", "helpful", "courteous", "manager", "rep", "representative"}},
		{name: "speed", dim: model.DimEfficiency,
			zh: append(zt("速度", "慢", "及时", "等了", "等待", "分钟", "小时", "迟", "延迟", "效率", "半天", "准时", "超时"),
				zhTerm{s: "快", not: []string{"快递", "愉快", "痛快", "快乐", "凉快", "爽快"}},
				zhTerm{s: "晚", not: []string{"晚上", "晚饭", "晚餐", "傍晚", "今晚", "昨晚", "晚安"}}),
			en: []string{"slow", "slowly", "fast", "quick", "quickly", "wait", "waited", "waiting", "delay", "delayed",
				"late", "prompt", "promptly", "hours", "minutes", "forever", "speed", "immediately"}},
		{name: "quality", dim: model.DimTechnical,
			zh: zt("质量", "做工", "坏了", "故障", "修好", "修不好", "没修好", "毛病", "性能", "材质", "用料", "耐用", "正品", "效果", "味道", "口味"),
			en: []string{"quality", "broken", "broke", "defect", "defective", "works", "worked", "working", "fixed", "repaired", "durable", "sturdy", "flimsy", "performance", "reliable", "taste", "junk"}},
		{name: "convenience", dim: model.DimNetwork,
			zh: append(zt("方便", "网点", "维修点", "服务点", "距离", "上门", "附近", "位置", "便利", "交通", "地点", "门店", "近"),
				zhTerm{s: "远", not: []string{"永远", "远程"}}),
			en: []string{"convenient", "convenience", "inconvenient", "location", "nearby", "distance", "accessible", "onsite"}},
		{name: "process", dim: model.DimProcess,
			zh: zt("流程", "手续", "进度", "通知", "预约", "登记", "审核", "退款", "退货", "换货", "发票", "保修", "程序"),
			en: []string{"process", "procedure", "update", "updates", "tracking", "paperwork", "appointment", "scheduled",
				"refund", "warranty", "notified", "notification", "status", "policy"}},
		{name: "delivery", dim: model.DimEfficiency,
			zh: zt("配送", "送餐", "快递", "物流", "送货", "送到", "送达", "发货"),
			en: []string{"delivery", "delivered", "shipping", "shipped", "arrived", "shipment"}},
		{name: "packaging", dim: model.DimTechnical,
			zh: zt("包装", "盒子", "餐盒", "破损"),
			en: []string{"packaging", "package", "packed", "box"}},
		{name: "loyalty", dim: model.DimLoyalty,
			zh: zt("推荐", "回购", "再来", "下次", "再也不", "以后不", "还会", "光顾"),
			en: []string{"recommend", "recommended", "again", "loyal", "return"}},
	}
}

// isClauseEnd reports the punctuation that separates clauses.
func isClauseEnd(r rune) bool {
	switch r {
	case ',', '.', '!', '?', ';', '\n', '，', '。', '！', '？', '；', '、', '～', '~':
		return true
	}
	return false
}

// contrastAt returns the length of a contrast word ("但是", "but") that
// starts at byte i of text, or 0. Contrast words also end a clause for
// aspects: in "quick but expensive" speed is good and price is not.
func contrastAt(l lang, text string, i int) int {
	if l == langZh {
		// Each word starts with 但, 可, 不 or 然: lead bytes E4, E5, E7.
		if c := text[i]; c != 0xE4 && c != 0xE5 && c != 0xE7 {
			return 0
		}
		for _, w := range [...]string{"但是", "可是", "不过", "然而", "但"} {
			if strings.HasPrefix(text[i:], w) {
				return len(w)
			}
		}
		return 0
	}
	if i > 0 && isASCIILetter(text[i-1]) {
		return 0
	}
	for _, w := range [...]string{"but", "however", "although", "though", "yet"} {
		if len(text)-i >= len(w) && strings.EqualFold(text[i:i+len(w)], w) &&
			(i+len(w) == len(text) || !isASCIILetter(text[i+len(w)])) {
			return len(w)
		}
	}
	return 0
}

// aspects splits text into clauses, finds the aspects each mentions and
// scores each such clause with the model: the polarity of an aspect is
// the summed lean (probability − 0.5) of its clauses, neutral within
// ±0.1. A Chinese text is read once (prepZh) and each clause scored from
// that reading; prepped says sc already holds it.
func (m *Model) aspects(sc *scratch, l lang, text string, prepped bool) []Aspect {
	if l == langZh && !prepped {
		sc.prepZh(text)
	}
	var out []Aspect
	var lean [16]float64 // per entry of out; there are fewer aspects
	start := 0
	for i := 0; i <= len(text); {
		r, size := utf8.RuneError, 1
		if i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		c := 0
		if i < len(text) {
			c = contrastAt(l, text, i)
		}
		if i == len(text) || isClauseEnd(r) || c > 0 {
			if clause := text[start:i]; strings.TrimSpace(clause) != "" {
				out = m.clauseAspects(sc, l, clause, start, out, &lean)
			}
			if c > 0 {
				size = c
			}
			start = i + size
		}
		i += size
	}
	for i := range out {
		switch {
		case lean[i] > 0.1:
			out[i].Polarity = 1
		case lean[i] < -0.1:
			out[i].Polarity = -1
		}
	}
	return out
}

// clauseAspects adds the aspects of clause, which starts at byte start of
// the text, to out.
func (m *Model) clauseAspects(sc *scratch, l lang, clause string, start int, out []Aspect, lean *[16]float64) []Aspect {
	p := -1.0
	var found [16]int16
	var foundEn [16]string
	if l == langZh {
		m.findZhAll(clause, found[:len(m.defs)])
	} else {
		m.findEnAll(clause, foundEn[:len(m.defs)])
	}
	for d, def := range m.defs {
		term := foundEn[d]
		if l == langZh {
			if k := found[d]; k >= 0 {
				term = def.zh[k].s
			}
		}
		if term == "" {
			continue
		}
		if p < 0 {
			p = m.scoreClause(sc, l, clause, start)
		}
		k := -1
		for j := range out {
			if out[j].Name == def.name {
				k = j
			}
		}
		if k < 0 {
			if len(out) == len(lean) {
				continue
			}
			if out == nil {
				out = make([]Aspect, 0, 4)
			}
			out = append(out, Aspect{Name: def.name, Dimension: def.dim, Term: term})
			k = len(out) - 1
		}
		lean[k] += p - 0.5
	}
	return out
}

// scoreClause is m.score of clause, which starts at byte start of the
// text sc holds prepared (Chinese): the same features, read from the
// prepared runes instead of from the clause's text.
func (m *Model) scoreClause(sc *scratch, l lang, clause string, start int) float64 {
	if l != langZh {
		return m.score(sc, l, clause)
	}
	lo, hi := sc.runeRange(start, start+len(clause))
	lm := &m.zh
	d := sc.featZh(m.lx, lo, hi, lm.mask())
	return lm.prob(lm.margin(sc.feats, d))
}

// termRef points at Chinese aspect term def.zh[term] of m.defs[def].
type termRef struct{ def, term int16 }

// indexZhTerms indexes the Chinese aspect terms by their first rune.
func indexZhTerms(defs []aspectDef) map[rune][]termRef {
	idx := map[rune][]termRef{}
	for d, def := range defs {
		for k, t := range def.zh {
			r, _ := utf8.DecodeRuneInString(t.s)
			idx[r] = append(idx[r], termRef{int16(d), int16(k)})
		}
	}
	return idx
}

// findZhAll sets found[d] to the index of the first term of m.defs[d] (in
// list order) that occurs in s outside its excluding words, or -1: what
// findZh returns for each aspect, in one pass over s.
func (m *Model) findZhAll(s string, found []int16) {
	for d := range found {
		found[d] = -1
	}
	for i, r := range s {
		for _, ref := range m.zhIdx[r] {
			if f := found[ref.def]; f >= 0 && f < ref.term {
				continue
			}
			t := m.defs[ref.def].zh[ref.term]
			if strings.HasPrefix(s[i:], t.s) && !coveredBy(s, i, t) {
				found[ref.def] = ref.term
			}
		}
	}
}

// findZh returns the first term of ts that occurs in s outside its
// excluding words.
func findZh(s string, ts []zhTerm) string {
	for _, t := range ts {
		for from := 0; from < len(s); {
			i := strings.Index(s[from:], t.s)
			if i < 0 {
				break
			}
			i += from
			if !coveredBy(s, i, t) {
				return t.s
			}
			from = i + len(t.s)
		}
	}
	return ""
}

func coveredBy(s string, i int, t zhTerm) bool {
	for _, ex := range t.not {
		k := strings.Index(ex, t.s)
		if k >= 0 && i-k >= 0 && strings.HasPrefix(s[i-k:], ex) {
			return true
		}
	}
	return false
}

// indexEnTerms lists, by English aspect word, the aspects it belongs to.
func indexEnTerms(defs []aspectDef) map[string][]int16 {
	idx := map[string][]int16{}
	for d, def := range defs {
		for _, w := range def.en {
			if !slices.Contains(idx[w], int16(d)) {
				idx[w] = append(idx[w], int16(d))
			}
		}
	}
	return idx
}

// findEnAll sets found[d] to findEn(s, m.defs[d].en), in one pass over s.
func (m *Model) findEnAll(s string, found []string) {
	var buf [24]byte
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		if j > i && j-i <= len(buf) {
			w := buf[:0]
			for k := i; k < j; k++ {
				w = append(w, s[k]|0x20)
			}
			for _, d := range m.enIdx[string(w)] {
				if found[d] == "" {
					found[d] = m.defs[d].en[slices.Index(m.defs[d].en, string(w))]
				}
			}
		}
		i = j + 1
	}
}

// findEn returns the first word of s (ASCII letters, lower-cased) that is
// one of words.
func findEn(s string, words []string) string {
	var buf [24]byte
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		if j > i && j-i <= len(buf) {
			w := buf[:0]
			for k := i; k < j; k++ {
				w = append(w, s[k]|0x20)
			}
			for _, x := range words {
				if x == string(w) {
					return x
				}
			}
		}
		i = j + 1
	}
	return ""
}

func isASCIILetter(c byte) bool {
	c |= 0x20
	return c >= 'a' && c <= 'z'
}
