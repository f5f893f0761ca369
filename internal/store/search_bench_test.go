package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// BenchmarkSearch measures GET /api/v1/requests?q= in the store: the
// first ranked page for one word over AFTERCARE_BENCH_SEARCH_MESSAGES
// messages (default 20,000, so CI stays quick; the README's figure is at
// 1,000,000, run by hand), 10 messages a request. Half the queries are a
// two-character Chinese word, half an English word, each in about 0.6 %
// of the messages (6 Chinese and 6 English words a message, from 1,000
// of each). It reports the p50 and p99 of one search.
func BenchmarkSearch(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("AFTERCARE_BENCH_SEARCH_MESSAGES")); err == nil && v > 0 {
		n = v
	}
	for _, d := range storetest.Dialects() {
		b.Run(fmt.Sprintf("%s/%d", d, n), func(b *testing.B) {
			s := storetest.Open(b, d)
			ctx := context.Background()
			words := fillSearchBench(b, s, n)
			b.ResetTimer()
			var took []time.Duration
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				page, err := s.ListRequests(ctx, model.RequestFilter{Query: words[i%len(words)]})
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				if len(page.Items) == 0 {
					b.Fatalf("q=%s found nothing", words[i%len(words)])
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// fillSearchBench writes n messages of random Chinese and English words
// (10 a request) with plain INSERTs, then indexes them through the
// store's backfill, and returns the words to search for.
func fillSearchBench(b testing.TB, s *store.Store, n int) []string {
	b.Helper()
	ctx := context.Background()
	c := &model.Customer{Name: "bench"}
	if err := s.CreateCustomer(ctx, c); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	han := []rune("屏幕电池充电开机黑屏漏水噪音维修退款换货保修快递配件主板摄像头镜头按键声音信号网络系统升级温度制冷风扇电源线插头遥控灯光显示屏")
	zh := make([]string, 0, 1000)
	for len(zh) < 1000 {
		w := string([]rune{han[rng.IntN(len(han))], han[rng.IntN(len(han))]})
		if !slices.Contains(zh, w) {
			zh = append(zh, w)
		}
	}
	en := make([]string, 1000)
	for i := range en {
		en[i] = fmt.Sprintf("word%dx", i)
	}
	now := s.Now()
	const perTx = 5000
	for start := 0; start < n; start += perTx {
		err := s.Tx(ctx, func(q store.Querier) error {
			for i := start; i < min(start+perTx, n); i++ {
				if i%10 == 0 {
					if _, err := q.Exec(ctx, `INSERT INTO requests (number, type, status, priority, priority_rank, channel, subject,
						customer_id, created_at, updated_at) VALUES ($1, 'repair', 'open', 'normal', 1, 'web', $2, $3, $4, $4)`,
						fmt.Sprintf("B-%08d", i/10), en[rng.IntN(len(en))]+" "+zh[rng.IntN(len(zh))], c.ID, now); err != nil {
						return err
					}
				}
				var body strings.Builder
				for range 6 {
					body.WriteString(zh[rng.IntN(len(zh))])
					body.WriteString("，")
				}
				for range 6 {
					body.WriteString(en[rng.IntN(len(en))])
					body.WriteString(" ")
				}
				if _, err := q.Exec(ctx, `INSERT INTO messages (request_id, author_kind, author_name, visibility, channel, body, created_at)
					VALUES ((SELECT max(id) FROM requests), 'customer', 'bench', 'public', 'web', $1, $2)`, body.String(), now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Tx(ctx, func(q store.Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO search_backfill (last_request_id, last_message_id)
			SELECT (SELECT max(id) FROM requests), (SELECT max(id) FROM messages)`)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := s.BackfillSearch(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("indexed %d messages in %s", n, time.Since(start).Round(time.Second))
	// The planner's statistics, as autovacuum keeps them on a live store
	// (a PostgreSQL search plans with them).
	if err := s.RefreshStatistics(ctx); err != nil {
		b.Fatal(err)
	}
	var words []string
	for i := range 50 {
		words = append(words, zh[i*7], en[i*13])
	}
	return words
}
