package app_test

import (
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app/apptest"
)

// maxIdleHeap bounds the live heap of a started, idle app. It is about
// three times what it holds today (README "Memory"), so that a start-up
// that keeps a model, an index or a template set it does not need shows
// here rather than in production's RSS.
const maxIdleHeap = 24 << 20

// TestIdleHeap boots the app, lets its background jobs start, and reports
// the live heap after a collection. AFTERCARE_HEAP_PROFILE=FILE also
// writes a heap profile there (go tool pprof -sample_index=inuse_space).
func TestIdleHeap(t *testing.T) {
	apptest.Start(t, apptest.Options{})
	time.Sleep(2 * time.Second) // River's first fetches and periodic jobs
	runtime.GC()
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"}, {Name: "/sched/goroutines:goroutines"}}
	metrics.Read(samples)
	live, total, released := samples[0].Value.Uint64(), samples[1].Value.Uint64(), samples[2].Value.Uint64()
	t.Logf("idle: live heap %.1f MB, runtime memory %.1f MB (%.1f MB of it released to the OS), %d goroutines",
		float64(live)/(1<<20), float64(total)/(1<<20), float64(released)/(1<<20), samples[3].Value.Uint64())
	if path := os.Getenv("AFTERCARE_HEAP_PROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			t.Fatal(err)
		}
	}
	if live > maxIdleHeap {
		t.Errorf("got a live heap of %d bytes when idle, want at most %d", live, maxIdleHeap)
	}
}
