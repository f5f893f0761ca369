package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// The SLA clocks' storage. The rules (which policy, when a clock starts,
// pauses, is met) live in internal/sla; these functions read and write
// inside the caller's transaction q.

const requestSLAColumns = `request_id, policy_id, policy_name, tier, calendar_id, pause_statuses, warn_before_minutes,
	next_response_minutes, paused_since, first_response_at, first_response_business_s, first_response_calendar_s,
	first_resolved_at, first_resolution_business_s, first_resolution_calendar_s, last_resolved_at,
	full_resolution_business_s, full_resolution_calendar_s, paused_business_s, paused_calendar_s`

func scanRequestSLA(r Row, x *model.RequestSLA) error {
	var pauses string
	m := &x.Metrics
	if err := r.Scan(&x.RequestID, &x.PolicyID, &x.PolicyName, &x.Tier, &x.CalendarID, &pauses, &x.WarnBeforeMinutes,
		&x.NextResponseMinutes, &x.PausedSince, &m.FirstResponseAt, &m.FirstResponseBusiness, &m.FirstResponseCalendar,
		&m.FirstResolvedAt, &m.FirstResolutionBusiness, &m.FirstResolutionCalendar, &m.LastResolvedAt,
		&m.FullResolutionBusiness, &m.FullResolutionCalendar, &m.PausedBusiness, &m.PausedCalendar); err != nil {
		return err
	}
	return json.Unmarshal([]byte(pauses), &x.PauseStatuses)
}

// RequestSLA returns a request's SLA state with its clocks, or nil when
// it has none (made before SLAs existed, or by a bulk insert). With lock,
// q must be a transaction; on PostgreSQL the row stays locked until it
// ends.
func (s *Store) RequestSLA(ctx context.Context, q Querier, requestID int64, lock bool) (*model.RequestSLA, error) {
	if q == nil {
		q = s.Read()
	}
	query := "SELECT " + requestSLAColumns + " FROM request_sla WHERE request_id = $1"
	if lock {
		query += s.forUpdate()
	}
	var x model.RequestSLA
	if err := scanRequestSLA(q.QueryRow(ctx, query, requestID), &x); err != nil {
		if model.IsNotFound(notFound(err, "sla")) {
			return nil, nil
		}
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT kind, cycle, started_at, target_minutes, due_at, warn_at, met_at, stopped_at
		FROM sla_clocks WHERE request_id = $1`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c model.SLAClock
		if err := rows.Scan(&c.Kind, &c.Cycle, &c.StartedAt, &c.TargetMinutes, &c.DueAt, &c.WarnAt, &c.MetAt, &c.StoppedAt); err != nil {
			return nil, err
		}
		x.Clocks = append(x.Clocks, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	order := map[model.ClockKind]int{model.ClockFirstResponse: 0, model.ClockNextResponse: 1, model.ClockResolution: 2}
	for i := 1; i < len(x.Clocks); i++ { // at most three: insertion sort
		for j := i; j > 0 && order[x.Clocks[j].Kind] < order[x.Clocks[j-1].Kind]; j-- {
			x.Clocks[j], x.Clocks[j-1] = x.Clocks[j-1], x.Clocks[j]
		}
	}
	return &x, nil
}

// SaveRequestSLA writes a request's SLA row and its clocks (all of them:
// the caller changed them in memory), and the request's nearest open due
// time for the queue.
func (s *Store) SaveRequestSLA(ctx context.Context, q Querier, x *model.RequestSLA, nextDue *time.Time) error {
	pauses := x.PauseStatuses
	if pauses == nil {
		pauses = []model.Status{}
	}
	ps, _ := json.Marshal(pauses)
	m := x.Metrics
	_, err := q.Exec(ctx, `INSERT INTO request_sla (`+requestSLAColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
		ON CONFLICT (request_id) DO UPDATE SET policy_id = excluded.policy_id, policy_name = excluded.policy_name, tier = excluded.tier,
		calendar_id = excluded.calendar_id, pause_statuses = excluded.pause_statuses,
		warn_before_minutes = excluded.warn_before_minutes, next_response_minutes = excluded.next_response_minutes,
		paused_since = excluded.paused_since, first_response_at = excluded.first_response_at,
		first_response_business_s = excluded.first_response_business_s, first_response_calendar_s = excluded.first_response_calendar_s,
		first_resolved_at = excluded.first_resolved_at, first_resolution_business_s = excluded.first_resolution_business_s,
		first_resolution_calendar_s = excluded.first_resolution_calendar_s, last_resolved_at = excluded.last_resolved_at,
		full_resolution_business_s = excluded.full_resolution_business_s, full_resolution_calendar_s = excluded.full_resolution_calendar_s,
		paused_business_s = excluded.paused_business_s, paused_calendar_s = excluded.paused_calendar_s`,
		x.RequestID, x.PolicyID, x.PolicyName, x.Tier, x.CalendarID, string(ps), x.WarnBeforeMinutes, x.NextResponseMinutes,
		x.PausedSince, m.FirstResponseAt, m.FirstResponseBusiness, m.FirstResponseCalendar, m.FirstResolvedAt,
		m.FirstResolutionBusiness, m.FirstResolutionCalendar, m.LastResolvedAt, m.FullResolutionBusiness,
		m.FullResolutionCalendar, m.PausedBusiness, m.PausedCalendar)
	if err != nil {
		return fmt.Errorf("save request sla: %w", err)
	}
	if len(x.Clocks) > 0 {
		// One statement for every clock (up to three), not one each.
		var b strings.Builder
		b.WriteString("INSERT INTO sla_clocks (request_id, kind, cycle, started_at, target_minutes, due_at, warn_at, met_at, stopped_at) VALUES ")
		args := make([]any, 0, 1+8*len(x.Clocks))
		args = append(args, x.RequestID)
		for i, c := range x.Clocks {
			if i > 0 {
				b.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&b, "($1, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
			args = append(args, c.Kind, c.Cycle, c.StartedAt, c.TargetMinutes, c.DueAt, c.WarnAt, c.MetAt, c.StoppedAt)
		}
		b.WriteString(` ON CONFLICT (request_id, kind) DO UPDATE SET cycle = excluded.cycle, started_at = excluded.started_at,
			target_minutes = excluded.target_minutes, due_at = excluded.due_at, warn_at = excluded.warn_at,
			met_at = excluded.met_at, stopped_at = excluded.stopped_at`)
		if _, err := q.Exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("save sla clocks: %w", err)
		}
	}
	_, err = q.Exec(ctx, "UPDATE requests SET sla_due_at = $1 WHERE id = $2", nextDue, x.RequestID)
	return err
}

// SLAPauses returns a request's pauses in order.
func (s *Store) SLAPauses(ctx context.Context, q Querier, requestID int64) ([]model.SLAPause, error) {
	if q == nil {
		q = s.Read()
	}
	rows, err := q.Query(ctx, "SELECT started_at, ended_at FROM sla_pauses WHERE request_id = $1 ORDER BY id", requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.SLAPause
	for rows.Next() {
		var p model.SLAPause
		if err := rows.Scan(&p.From, &p.To); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StartSLAPause opens a pause at from.
func (s *Store) StartSLAPause(ctx context.Context, q Querier, requestID int64, from time.Time) error {
	_, err := q.Exec(ctx, "INSERT INTO sla_pauses (request_id, started_at) VALUES ($1, $2)", requestID, from)
	return err
}

// EndSLAPause closes the open pause at to.
func (s *Store) EndSLAPause(ctx context.Context, q Querier, requestID int64, to time.Time) error {
	_, err := q.Exec(ctx, "UPDATE sla_pauses SET ended_at = $1 WHERE request_id = $2 AND ended_at IS NULL", to, requestID)
	return err
}

// RecordSLAAlert records a warning or breach of a clock's round once: it
// reports false when it was recorded already (by another node, a timer
// or the sweeper). When it records it, it writes the timeline event and
// publishes sla.warning or sla.breached, in q.
func (s *Store) RecordSLAAlert(ctx context.Context, q Querier, requestID int64, kind model.ClockKind, cycle int, alert model.SLAAlert, due time.Time) (bool, error) {
	now := s.Now()
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO sla_alerts (request_id, kind, cycle, alert, due_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_id, kind, cycle, alert) DO NOTHING RETURNING id`,
		requestID, kind, cycle, alert, due, now).Scan(&id)
	if model.IsNotFound(notFound(err, "alert")) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	ev, event := "sla_warning", model.EventSLAWarning
	if alert == model.AlertBreach {
		ev, event = "sla_breached", model.EventSLABreached
	}
	by := Actor{Kind: model.AuthorSystem, Name: "SLA", Channel: model.ChannelAPI}
	if err := insertEvent(ctx, q, requestID, by, ev, string(kind), due.UTC().Format(time.RFC3339), now); err != nil {
		return false, err
	}
	return true, s.publish(ctx, q, model.DomainEvent{Type: event, At: now, SLAClock: string(kind), SLADueAt: due}, requestID)
}

// SLAAlerts returns how many warnings and breaches were recorded for a
// request's clocks, keyed "kind/cycle/alert".
func (s *Store) SLAAlerts(ctx context.Context, requestID int64) (map[string]time.Time, error) {
	rows, err := s.Read().Query(ctx, "SELECT kind, cycle, alert, created_at FROM sla_alerts WHERE request_id = $1", requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var kind, alert string
		var cycle int
		var at time.Time
		if err := rows.Scan(&kind, &cycle, &alert, &at); err != nil {
			return nil, err
		}
		out[kind+"/"+strconv.Itoa(cycle)+"/"+alert] = at
	}
	return out, rows.Err()
}

// SLATimer is a clock's instant that a timer waits for.
type SLATimer struct {
	RequestID int64
	Kind      model.ClockKind
	Cycle     int
	Alert     model.SLAAlert
	At        time.Time
}

// OverdueSLATimers returns up to limit open clocks whose warning or due
// instant is at or before now and not yet recorded: the sweeper's work.
// It reads the partial index of open clocks by due time, so its cost is
// the overdue clocks', not all requests'.
func (s *Store) OverdueSLATimers(ctx context.Context, now time.Time, limit int) ([]SLATimer, error) {
	rows, err := s.Read().Query(ctx, `SELECT c.request_id, c.kind, c.cycle, 'breach', c.due_at FROM sla_clocks c
		WHERE c.met_at IS NULL AND c.stopped_at IS NULL AND c.due_at <= $1
		AND NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.request_id = c.request_id AND a.kind = c.kind
			AND a.cycle = c.cycle AND a.alert = 'breach')
		UNION ALL
		SELECT c.request_id, c.kind, c.cycle, 'warning', c.warn_at FROM sla_clocks c
		WHERE c.met_at IS NULL AND c.stopped_at IS NULL AND c.due_at <= $2 AND c.warn_at <= $1
		AND NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.request_id = c.request_id AND a.kind = c.kind
			AND a.cycle = c.cycle AND a.alert = 'warning')
		LIMIT `+strconv.Itoa(limit), now, now.Add(maxWarnLead))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SLATimer
	for rows.Next() {
		var t SLATimer
		if err := rows.Scan(&t.RequestID, &t.Kind, &t.Cycle, &t.Alert, &t.At); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// maxWarnLead bounds how far ahead of its due time a warning may fire
// (a warning lead is business minutes; a year of calendar time covers
// any sensible lead), keeping the sweeper's warning scan on the index.
const maxWarnLead = 366 * 24 * time.Hour

// RequestsDueBefore returns up to limit open requests whose nearest open
// due time is after from and at or before until, soonest first (the
// queue's "breaching soon").
func (s *Store) RequestsDueBefore(ctx context.Context, from, until time.Time, limit int) ([]model.SLADue, error) {
	rows, err := s.Read().Query(ctx, `SELECT id, number, subject, status, sla_due_at FROM requests
		WHERE sla_due_at > $1 AND sla_due_at <= $2 ORDER BY sla_due_at, id LIMIT `+strconv.Itoa(limit), from, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.SLADue
	for rows.Next() {
		var d model.SLADue
		if err := rows.Scan(&d.RequestID, &d.Number, &d.Subject, &d.Status, &d.DueAt); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// LockRequestByID reads a request's mutable fields in the transaction q,
// locking its row on PostgreSQL (SQLite has one writer).
func (s *Store) LockRequestByID(ctx context.Context, q Querier, id int64) (*model.Request, error) {
	var number string
	if err := q.QueryRow(ctx, "SELECT number FROM requests WHERE id = $1", id).Scan(&number); err != nil {
		return nil, notFound(err, "request")
	}
	return s.lockRequest(ctx, q, number)
}

// SLAReportRow is one clock of a request opened in a report's period:
// the tier it was opened under, when it was opened, the clock, and the
// request's stored business first-response and first-resolution times.
type SLAReportRow struct {
	Tier               string
	CreatedAt          time.Time
	Clock              model.SLAClock
	FirstResponseBiz   *float64
	FirstResolutionBiz *float64
}

// SLAReportRows returns the first-response and resolution clocks of the
// requests opened in [from, to), calling fn for each (the period bounds
// the work: a year of requests, not the table).
func (s *Store) SLAReportRows(ctx context.Context, from, to time.Time, fn func(SLAReportRow) error) error {
	rows, err := s.Read().Query(ctx, `SELECT rs.tier, r.created_at, c.kind, c.cycle, c.started_at, c.target_minutes,
		c.due_at, c.met_at, c.stopped_at, rs.first_response_business_s, rs.first_resolution_business_s
		FROM request_sla rs JOIN requests r ON r.id = rs.request_id
		JOIN sla_clocks c ON c.request_id = rs.request_id AND c.kind IN ('first_response', 'resolution')
		WHERE r.created_at >= $1 AND r.created_at < $2`, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var x SLAReportRow
		c := &x.Clock
		if err := rows.Scan(&x.Tier, &x.CreatedAt, &c.Kind, &c.Cycle, &c.StartedAt, &c.TargetMinutes, &c.DueAt, &c.MetAt,
			&c.StoppedAt, &x.FirstResponseBiz, &x.FirstResolutionBiz); err != nil {
			return err
		}
		if err := fn(x); err != nil {
			return err
		}
	}
	return rows.Err()
}
