// Giving memory back when idle.

package app

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// idleCheck is how often the server looks whether it is idle.
const idleCheck = 10 * time.Second

// idleAlloc is the most a server may allocate between two checks and
// still count as idle (River's polls and the periodic jobs allocate a
// little all the time).
const idleAlloc = 4 << 20

// minGarbage is how much the server must have allocated since it last
// gave memory back for another collection to be worth it.
const minGarbage = 2 << 20

// releaseWhenIdle returns the heap's free pages to the operating system
// when the server has been idle for a check interval and has allocated
// more than minGarbage since it last did. Go collects only when the heap
// reaches its goal (twice the live heap) and its scavenger keeps the heap
// near that goal, so an idle server would hold up to twice what it uses;
// a collection of the idle server's heap costs a few milliseconds. The
// code pages the work brought in go back too (releaseCode). It stops
// when ctx ends.
func releaseWhenIdle(ctx context.Context) {
	allocs := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	read := func() uint64 { metrics.Read(allocs); return allocs[0].Value.Uint64() }
	last := read()
	released := last
	t := time.NewTicker(idleCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := read()
		if now-last < idleAlloc && now-released > minGarbage {
			debug.FreeOSMemory()
			_, _ = releaseCode() // as at start-up; kept where unsupported
			now = read()
			released = now
		}
		last = now
	}
}
