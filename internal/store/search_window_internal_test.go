package store

import "testing"

// TestSearchWindowChoice: with the figures measured at a million requests
// (6,050,447 documents in 1,000 blocks), a window for a word neither
// common nor rare ("noise", 24,682 matches, seven blocks) is read
// through the recent search index when there is one and scanned when
// there is not; a common word (屏幕, about 240,000 matches, two blocks)
// is scanned either way; a window older than the recent index is never
// read through it; and a word rarer than any window is worth uses the
// whole GIN index.
func TestSearchWindowChoice(t *testing.T) {
	base := searchPlan{size: 1000, top: 999, docsPerBlock: 6050, matches: 24682}
	recent := base
	recent.recent = 900_000
	for _, c := range []struct {
		name     string
		p        searchPlan
		blocks   int64
		wantFrom int64
		wantScan bool
	}{
		{"noise, no recent index", base, 7, 993_000, true},
		{"noise, recent index", recent, 7, 993_000, false},
		{"common word, recent index", searchPlan{size: 1000, top: 999, docsPerBlock: 6050, matches: 240_000, recent: 900_000}, 2, 998_000, true},
		{"window older than the recent index", searchPlan{size: 1000, top: 999, docsPerBlock: 6050, matches: 240_000, recent: 900_000}, 150, 850_000, true},
		{"rare word", searchPlan{size: 1000, top: 999, docsPerBlock: 6050, matches: 100, recent: 900_000}, 40, 0, false},
	} {
		from, scan := c.p.window(c.blocks)
		if from != c.wantFrom || scan != c.wantScan {
			t.Errorf("%s: window from %d, scan %v; want from %d, scan %v", c.name, from, scan, c.wantFrom, c.wantScan)
		}
	}
}
