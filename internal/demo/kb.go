package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// SeedArticles writes the demo's help articles (KBTopics), each topic in
// Chinese with its English translation linked, and returns the ids of
// each topic's Chinese and English article by key.
func SeedArticles(ctx context.Context, st *store.Store) (map[string][2]int64, error) {
	out := map[string][2]int64{}
	for _, t := range KBTopics() {
		vis := model.VisibilityPublic
		if t.Internal {
			vis = model.VisibilityInternal
		}
		zh := &model.Article{Locale: "zh-CN", Title: t.TitleZH, Body: t.BodyZH, Category: t.Category, Tags: t.Tags,
			Products: t.Products, Visibility: vis, Status: model.ArticlePublished, AuthorName: "知识库编辑 KB editor"}
		if err := st.CreateArticle(ctx, zh, "初稿 first version"); err != nil {
			return nil, fmt.Errorf("demo: article %s: %w", t.Key, err)
		}
		en := &model.Article{Locale: "en", Title: t.TitleEN, Body: t.BodyEN, Category: t.Category, Tags: t.Tags,
			Products: t.Products, Visibility: vis, Status: model.ArticlePublished, AuthorName: "知识库编辑 KB editor",
			TranslationOf: &zh.ID}
		if err := st.CreateArticle(ctx, en, "translation"); err != nil {
			return nil, fmt.Errorf("demo: article %s: %w", t.Key, err)
		}
		out[t.Key] = [2]int64{zh.ID, en.ID}
	}
	return out, nil
}

// kbGaps are questions customers asked that no article answers: the gap
// report's first lines.
var kbGaps = []struct {
	query, locale string
	times         int
}{
	{"洗碗机 E3 故障", "zh-CN", 23}, {"回音壁 连接 电视 没声音", "zh-CN", 17}, {"干衣机 衣服 不干", "zh-CN", 14},
	{"dishwasher leaves white spots", "en", 9}, {"smart watch strap replacement", "en", 7}, {"以旧换新 活动", "zh-CN", 6},
	{"soundbar hdmi arc no sound", "en", 5}, {"平板 充电 很慢", "zh-CN", 4},
}

// seedKBActivity writes a year's searches (with the gaps) and visits to
// the new-request form that opened a suggested article: about two in
// three of those left without submitting a request (deflected).
func (g *gen) seedKBActivity(ctx context.Context, st *store.Store, ids map[string][2]int64) (searches, visits int, err error) {
	var logs []store.SearchLog
	var deflections []store.DeflectionVisit
	var public []KBTopic
	for _, t := range KBTopics() {
		if !t.Internal {
			public = append(public, t)
		}
	}
	rnd := g.netRnd
	for _, gap := range kbGaps {
		for range gap.times {
			at := g.now.Add(-time.Duration(rnd.IntN(60*24)) * time.Hour)
			logs = append(logs, store.SearchLog{Query: gap.query, Locale: gap.locale, Source: model.SearchFromAssistant, At: at})
		}
	}
	for i := range 900 {
		t := public[rnd.IntN(len(public))]
		loc, title := "zh-CN", t.TitleZH
		if rnd.IntN(5) == 0 {
			loc, title = "en", t.TitleEN
		}
		src := []model.SearchSource{model.SearchFromSearch, model.SearchFromAssistant, model.SearchFromDeflect}[i%3]
		logs = append(logs, store.SearchLog{Query: title, Locale: loc, Source: src, Results: 1 + rnd.IntN(5),
			At: g.now.Add(-time.Duration(rnd.IntN(300*24)) * time.Hour)})
	}
	for i := range 600 {
		key := public[rnd.IntN(len(public))].Key
		id := ids[key][0]
		if rnd.IntN(5) == 0 {
			id = ids[key][1]
		}
		cust := g.customers[rnd.IntN(len(g.customers))].ID
		start := g.now.Add(-time.Duration(1+rnd.IntN(180*24)) * time.Hour)
		v := store.DeflectionVisit{Token: fmt.Sprintf("demo-%06d", i), CustomerID: cust, ArticleID: id, StartedAt: start,
			OpenedAt: start.Add(time.Duration(20+rnd.IntN(200)) * time.Second)}
		// Fault articles deflect more often than the service-network ones,
		// which often lead to a booking anyway.
		submit := 30
		if strings.HasPrefix(key, "service") || key == "home-visit" || key == "mail-in" {
			submit = 60
		}
		if rnd.IntN(100) < submit {
			sub := v.OpenedAt.Add(time.Duration(1+rnd.IntN(10)) * time.Minute)
			v.SubmittedAt = &sub
		}
		deflections = append(deflections, v)
	}
	return len(logs), len(deflections), st.InsertKBActivity(ctx, logs, deflections)
}
