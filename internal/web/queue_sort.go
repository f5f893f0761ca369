package web

import "net/http"

// queueSorts are the orders the queue offers: those the store's keyset
// pagination supports, each in its one direction.
func queueSorts() []string { return []string{"created", "updated", "priority", "due"} }

// sortHead is a column head of the queue that sorts by its column: the
// link (the other filters kept, the cursor dropped), the words that say
// how it sorts, and aria-sort when it is the current order.
type sortHead struct {
	URL, Hint string
	// AriaSort is "descending" or "ascending" on the current order's
	// column, "" on the others.
	AriaSort string
}

// sortHeads are the sortable column heads of queue filter q, by order:
// created (the number column: numbers follow creation), updated,
// priority and due.
func (s *server) sortHeads(r *http.Request, q queueQuery) map[string]sortHead {
	heads := map[string]sortHead{}
	for _, so := range queueSorts() {
		sq := q
		sq.Sort, sq.Cursor = so, ""
		h := sortHead{URL: "/queue?" + sq.values().Encode(), Hint: s.tr(r, "queue.sort_by."+so)}
		if so == q.Sort {
			h.AriaSort = "descending"
			if so == "due" { // nearest due time first
				h.AriaSort = "ascending"
			}
		}
		heads[so] = h
	}
	return heads
}
