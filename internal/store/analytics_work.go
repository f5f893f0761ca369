package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// WorkRequest is what the work indicators need of one request resolved
// in a period: its team and assignee, the service centre of its repair
// order (nil without one: requests carry no centre of their own), when it
// was created and resolved, whether it was ever reopened, the first
// public reply by staff after its creation, whether the customer wrote
// again after that reply, and from its SLA record (issue 8; nil or empty
// for a request created before SLA or without a calendar) the stored
// business seconds to first response and to its last resolution and its
// first-response and resolution clocks.
type WorkRequest struct {
	ID                   int64
	Type                 model.RequestType
	TeamID, AgentID      *int64
	CentreID             *int64
	TeamName             string
	AgentName            string
	CentreName           string
	CreatedAt            time.Time
	ResolvedAt           time.Time
	Reopened             bool
	FirstReply           *time.Time
	CustomerAfterReply   bool
	FirstResponseBizSecs *float64
	ResolutionBizSecs    *float64
	Clocks               []model.SLAClock
}

// WorkRepair is what the work indicators need of one repair completed in
// a period: its request's team and assignee, rework, the customer's
// answer to the quote, the centre that did it, and its final tests:
// Tested when it left the testing stage at least once, FailedTest when a
// test sent it back to repairing.
type WorkRepair struct {
	TeamID, AgentID *int64
	CentreID        int64
	TeamName        string
	AgentName       string
	CentreName      string
	CompletedAt     time.Time
	Rework          bool
	Approval        model.Approval
	Tested          bool
	FailedTest      bool
}

// ResolvedWork returns the requests resolved in [from, to) (by their last
// resolution, and resolved or closed now: a reopened request still being
// worked does not count) with what the
// work indicators need, in three range scans (requests, their reopen
// events, their public messages) rather than a query per request.
func (s *Store) ResolvedWork(ctx context.Context, from, to time.Time) ([]WorkRequest, error) {
	q := s.Read()
	rows, err := q.Query(ctx, `SELECT r.id, r.type, r.team_id, COALESCE(t.name, ''), r.assignee_id, COALESCE(u.name, ''),
		rp.centre_id, COALESCE(sc.name, ''), r.created_at, r.resolved_at, rs.first_response_business_s, rs.full_resolution_business_s
		FROM requests r LEFT JOIN teams t ON t.id = r.team_id LEFT JOIN users u ON u.id = r.assignee_id
		LEFT JOIN repairs rp ON rp.request_id = r.id LEFT JOIN service_centres sc ON sc.id = rp.centre_id
		LEFT JOIN request_sla rs ON rs.request_id = r.id
		WHERE r.resolved_at >= $1 AND r.resolved_at < $2 AND r.status IN ('resolved', 'closed') ORDER BY r.id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("resolved work: %w", err)
	}
	var out []WorkRequest
	idx := map[int64]int{}
	for rows.Next() {
		var w WorkRequest
		var resolved *time.Time
		if err := rows.Scan(&w.ID, &w.Type, &w.TeamID, &w.TeamName, &w.AgentID, &w.AgentName, &w.CentreID, &w.CentreName,
			&w.CreatedAt, &resolved, &w.FirstResponseBizSecs, &w.ResolutionBizSecs); err != nil {
			rows.Close()
			return nil, err
		}
		if resolved != nil {
			w.ResolvedAt = *resolved
		}
		idx[w.ID] = len(out)
		out = append(out, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT DISTINCT e.request_id FROM events e JOIN requests r ON r.id = e.request_id
		WHERE r.resolved_at >= $1 AND r.resolved_at < $2 AND e.kind = 'reopened'`, from, to)
	if err != nil {
		return nil, fmt.Errorf("resolved work: reopened: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := idx[id]; ok {
			out[i].Reopened = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT c.request_id, c.kind, c.cycle, c.started_at, c.target_minutes, c.due_at, c.met_at, c.stopped_at
		FROM sla_clocks c JOIN requests r ON r.id = c.request_id
		WHERE r.resolved_at >= $1 AND r.resolved_at < $2 AND c.kind IN ('first_response', 'resolution')`, from, to)
	if err != nil {
		return nil, fmt.Errorf("resolved work: clocks: %w", err)
	}
	for rows.Next() {
		var id int64
		var c model.SLAClock
		if err := rows.Scan(&id, &c.Kind, &c.Cycle, &c.StartedAt, &c.TargetMinutes, &c.DueAt, &c.MetAt, &c.StoppedAt); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := idx[id]; ok {
			out[i].Clocks = append(out[i].Clocks, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT m.request_id, m.author_kind, m.created_at FROM messages m JOIN requests r ON r.id = m.request_id
		WHERE r.resolved_at >= $1 AND r.resolved_at < $2 AND m.visibility = 'public' AND m.created_at > r.created_at
		AND m.author_kind IN ('staff', 'customer') ORDER BY m.request_id, m.created_at, m.id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("resolved work: messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind model.AuthorKind
		var at time.Time
		if err := rows.Scan(&id, &kind, &at); err != nil {
			return nil, err
		}
		i, ok := idx[id]
		if !ok {
			continue
		}
		w := &out[i]
		switch {
		case kind == model.AuthorStaff && w.FirstReply == nil:
			w.FirstReply = &at
		case kind == model.AuthorCustomer && w.FirstReply != nil:
			w.CustomerAfterReply = true
		}
	}
	return out, rows.Err()
}

// CompletedRepairs returns the repairs completed in [from, to) with their
// request's team and assignee and their centre.
func (s *Store) CompletedRepairs(ctx context.Context, from, to time.Time) ([]WorkRepair, error) {
	rows, err := s.Read().Query(ctx, `SELECT r.team_id, COALESCE(t.name, ''), r.assignee_id, COALESCE(u.name, ''), p.centre_id,
		sc.name, p.completed_at, p.rework, p.approval,
		CASE WHEN EXISTS (SELECT 1 FROM repair_history h WHERE h.repair_id = p.id AND h.from_stage = $3) THEN 1 ELSE 0 END,
		CASE WHEN EXISTS (SELECT 1 FROM repair_history h WHERE h.repair_id = p.id AND h.from_stage = $3 AND h.stage = $4) THEN 1 ELSE 0 END
		FROM repairs p JOIN requests r ON r.id = p.request_id
		JOIN service_centres sc ON sc.id = p.centre_id LEFT JOIN teams t ON t.id = r.team_id
		LEFT JOIN users u ON u.id = r.assignee_id WHERE p.completed_at >= $1 AND p.completed_at < $2 ORDER BY p.id`, from, to,
		string(model.StageTesting), string(model.StageRepairing))
	if err != nil {
		return nil, fmt.Errorf("completed repairs: %w", err)
	}
	defer rows.Close()
	var out []WorkRepair
	for rows.Next() {
		var w WorkRepair
		var done *time.Time
		var tested, failed int
		if err := rows.Scan(&w.TeamID, &w.TeamName, &w.AgentID, &w.AgentName, &w.CentreID, &w.CentreName, &done, &w.Rework, &w.Approval,
			&tested, &failed); err != nil {
			return nil, err
		}
		w.Tested, w.FailedTest = tested == 1, failed == 1
		if done != nil {
			w.CompletedAt = *done
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// RepairFault is one repair order opened in a period, with the product
// model of its unit and the fault codes the technician recorded.
type RepairFault struct {
	ProductID int64
	Product   string
	SKU       string
	Category  string
	OpenedAt  time.Time
	Codes     []string
}

// RepairFaults returns the repair orders opened in [from, to) that have a
// unit (so a product model), oldest first: a range scan of the
// repairs_created index.
func (s *Store) RepairFaults(ctx context.Context, from, to time.Time) ([]RepairFault, error) {
	rows, err := s.Read().Query(ctx, `SELECT p.id, p.name, p.sku, p.category, rp.created_at, rp.fault_codes
		FROM repairs rp JOIN units u ON u.id = rp.unit_id JOIN products p ON p.id = u.product_id
		WHERE rp.created_at >= $1 AND rp.created_at < $2 ORDER BY rp.created_at, rp.id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("repair faults: %w", err)
	}
	defer rows.Close()
	var out []RepairFault
	for rows.Next() {
		var f RepairFault
		var codes string
		if err := rows.Scan(&f.ProductID, &f.Product, &f.SKU, &f.Category, &f.OpenedAt, &codes); err != nil {
			return nil, err
		}
		f.Codes = splitCodes(codes)
		out = append(out, f)
	}
	return out, rows.Err()
}
