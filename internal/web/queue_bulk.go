package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// sessBulk keeps the results of the last bulk action until the queue
// shows them (after the redirect).
const sessBulk = "bulk_results"

// bulkLine is one request's outcome of a bulk action, as shown.
type bulkLine struct {
	Number string `json:"n"`
	OK     bool   `json:"ok"`
	Error  string `json:"e,omitempty"`
}

// bulkBar is the queue's bulk form: its choices, the outcome of the last
// action, and an error that refused the whole action.
type bulkBar struct {
	Statuses   []Option
	Priorities []Option
	Assignees  []Option
	Results    []bulkLine
	Done       int
	Error      string
	// Checked are the numbers to keep ticked after a refused action.
	Checked map[string]bool
	// Back is the queue's query string, to return to.
	Back string
	// Confirm, when positive, asks before cancelling that many requests:
	// the form comes back filled in as sent, with a "yes" button.
	Confirm int
	// Tag and MergeInto are the text fields as sent (a form that comes back).
	Tag, MergeInto string
}

// refill selects in b's choices what form f chose and keeps its texts.
func (b *bulkBar) refill(f url.Values) {
	pick := func(opts []Option, v string) {
		for i := range opts {
			opts[i].Selected = opts[i].Value == v
		}
	}
	pick(b.Statuses, f.Get("status"))
	pick(b.Priorities, f.Get("priority"))
	pick(b.Assignees, f.Get("assignee"))
	b.Tag, b.MergeInto = f.Get("add_tag"), f.Get("merge_into")
}

// loadBulkBar fills the bulk form's choices and pops the last results.
func (s *server) loadBulkBar(r *http.Request, q queueQuery) (*bulkBar, error) {
	users, err := s.d.Store.ListUsers(r.Context())
	if err != nil {
		return nil, err
	}
	b := &bulkBar{Back: q.values().Encode(), Checked: map[string]bool{}}
	keep := s.tr(r, "bulk.keep")
	b.Statuses = []Option{{Value: "", Label: keep}}
	for _, st := range model.Statuses {
		b.Statuses = append(b.Statuses, Option{Value: string(st), Label: s.tr(r, "status."+string(st))})
	}
	b.Priorities = []Option{{Value: "", Label: keep}}
	for _, pr := range model.Priorities {
		b.Priorities = append(b.Priorities, Option{Value: string(pr), Label: s.tr(r, "priority."+string(pr))})
	}
	b.Assignees = []Option{{Value: "", Label: keep}, {Value: "0", Label: s.tr(r, "bulk.unassign")}}
	for _, u := range users {
		if u.Active {
			b.Assignees = append(b.Assignees, Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
		}
	}
	if raw := s.sessions.PopString(r.Context(), sessBulk); raw != "" {
		if err := json.Unmarshal([]byte(raw), &b.Results); err == nil {
			for _, l := range b.Results {
				if l.OK {
					b.Done++
				}
			}
		}
	}
	return b, nil
}

// queueBulk applies the bulk form to the ticked requests, each on its
// own, keeps the per-request outcome for the queue to show and goes back
// to the queue. An action refused as a whole (nothing ticked, no change
// chosen, a bad tag, a role that may not) comes back with the ticks kept.
func (s *server) queueBulk(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	back, err := url.ParseQuery(f.Get("back"))
	if err != nil {
		back = url.Values{}
	}
	q := parseQueueQuery(back)
	set := request.BulkSet{Status: model.Status(f.Get("status"))}
	if v := f.Get("priority"); v != "" {
		pr := model.Priority(v)
		set.Priority = &pr
	}
	if v := f.Get("assignee"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			id = -1 // refused below as an unknown user
		}
		set.AssigneeID = &id
	}
	set.AddTags = splitTags(f.Get("add_tag"))
	set.MergeInto = strings.TrimSpace(f.Get("merge_into"))
	numbers := f["n"]
	ticked := func(pg *queuePage) {
		pg.BulkChecked = map[string]bool{}
		for _, n := range numbers {
			pg.BulkChecked[strings.ToUpper(n)] = true
		}
		pg.BulkForm = f
	}
	if set.Status == model.StatusCancelled && len(numbers) > 0 && f.Get("confirm") != "yes" {
		// Cancelling is not undone by the customer: ask first, as the
		// request page does.
		s.showQueue(w, r, q, http.StatusOK, func(pg *queuePage) {
			ticked(pg)
			pg.BulkConfirm = len(numbers)
		})
		return
	}
	res, err := s.d.Requests.Bulk(r.Context(), *principalOf(r), numbers, set, model.ChannelWeb)
	if err != nil {
		if c := model.ErrorCode(err); c != model.EINVALID && c != model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		s.showQueue(w, r, q, statusOf(err), func(pg *queuePage) {
			pg.BulkError = s.errText(r, err)
			ticked(pg)
		})
		return
	}
	lines := make([]bulkLine, len(res))
	for i, it := range res {
		lines[i] = bulkLine{Number: it.Number, OK: it.Err == nil}
		if it.Err != nil {
			lines[i].Error = s.errText(r, it.Err)
		}
	}
	b, _ := json.Marshal(lines)
	s.sessions.Put(r.Context(), sessBulk, string(b))
	http.Redirect(w, r, "/queue?"+q.values().Encode(), http.StatusSeeOther)
}
