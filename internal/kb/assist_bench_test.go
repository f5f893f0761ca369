package kb

import (
	"fmt"
	"testing"
)

// BenchmarkAssistHistory is the in-memory part of Assist on a full
// history: the terms of 1,000 past requests, the similarity search and the
// three classifiers (type, category, priority).
func BenchmarkAssistHistory(b *testing.B) {
	subjects := []string{"洗衣机不排水，显示E21", "空调不制冷，外机不转", "Camera shows a lens error", "手机充电很慢，电池发烫",
		"Refrigerator is not cold enough", "耳机只有一边有声音", "How long is the warranty?", "热水器不加热"}
	texts := make([]string, historySize)
	for i := range texts {
		texts[i] = fmt.Sprintf("%s %d 客户来电说明情况，已经试过重启，问题依旧。The customer tried restarting it.", subjects[i%len(subjects)], i)
	}
	own := termSet("洗衣机一直不排水 E21")
	b.ResetTimer()
	for b.Loop() {
		docs := make([]map[string]bool, len(texts))
		for i, t := range texts {
			docs[i] = termSet(t)
			cosine(own, docs[i])
		}
		for range 3 {
			nb := newBayes()
			for i := range docs {
				nb.add(fmt.Sprint(i%5), docs[i])
			}
			nb.best(own)
		}
	}
}

// BenchmarkAssistCached is the same in-memory work once the history is
// learnt (history.go): what a page view costs now — the view's own terms,
// the similarity over the cached term sets and three classifications.
// (Each view also saves reading the 1,000 requests; it reads one count.)
func BenchmarkAssistCached(b *testing.B) {
	subjects := []string{"洗衣机不排水，显示E21", "空调不制冷，外机不转", "Camera shows a lens error", "手机充电很慢，电池发烫",
		"Refrigerator is not cold enough", "耳机只有一边有声音", "How long is the warranty?", "热水器不加热"}
	h := &history{docs: make([]map[string]bool, historySize), typ: newBayes(), category: newBayes(), priority: newBayes()}
	for i := range h.docs {
		h.docs[i] = termSet(fmt.Sprintf("%s %d 客户来电说明情况，已经试过重启，问题依旧。The customer tried restarting it.", subjects[i%len(subjects)], i))
		for _, nb := range []*bayes{h.typ, h.category, h.priority} {
			nb.add(fmt.Sprint(i%5), h.docs[i])
		}
	}
	b.ResetTimer()
	for b.Loop() {
		own := termSet("洗衣机一直不排水 E21")
		for _, d := range h.docs {
			cosine(own, d)
		}
		for _, nb := range []*bayes{h.typ, h.category, h.priority} {
			nb.best(own)
		}
	}
}
