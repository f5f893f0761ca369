package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// Bulk inserts for filling an empty store quickly (the demo seeder, and
// later imports). Rows carry ids chosen by the caller, so that rows of one
// batch can refer to each other without a round trip per row; each
// function inserts its rows with multi-row INSERT statements in one
// transaction. On PostgreSQL the identity columns are overridden and their
// sequences moved past the largest id, so later ordinary inserts go on
// from there. On PostgreSQL inside a transaction the rows go in with one
// COPY FROM per table (copyRows).

// Parameters per statement. PostgreSQL allows 65535 and SQLite 32766,
// but SQLite (and the modernc driver, which asks for every parameter's
// name on each bind) looks $N parameters up in a list, so one statement
// costs time quadratic in its parameters: measured on the demo seed,
// 32000 parameters per statement took 10 s for 1,200 requests; 120 take
// 0.3 s, and the full 12,000 about 3–4 s (240 and 480 were slower). SQLite statements are prepared
// once per table and reused, so small ones cost little.
const (
	pgMaxParams     = 16000
	sqliteMaxParams = 120
)

// bulkMaxRows bounds the rows per statement even for narrow tables: past
// a few thousand rows a bigger statement saves nothing and costs memory.
const bulkMaxRows = 2000

// preparer is what a *sql.Tx offers to prepare a statement once.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// HasData reports whether the store holds any team, staff user, customer,
// product, request or calendar: a store with any of them is not empty,
// and the demo seeder leaves it alone.
func (s *Store) HasData(ctx context.Context) (bool, error) {
	var n int
	err := s.Read().QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM (SELECT 1 FROM teams LIMIT 1) a) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) b) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM customers LIMIT 1) c) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM products LIMIT 1) d) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM requests LIMIT 1) e) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM calendars LIMIT 1) f)`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: check for data: %w", err)
	}
	return n > 0, nil
}

// bulkInsert inserts n rows into table, filling each row's arguments with
// add (which appends exactly len(cols) values to args and returns it).
func (s *Store) bulkInsert(ctx context.Context, q Querier, table string, cols []string, n int,
	add func(args []any, i int) []any) error {
	if n == 0 {
		return nil
	}
	if c, ok := pgCopier(q); ok {
		return copyRows(ctx, c, table, cols, n, add)
	}
	maxParams, override := sqliteMaxParams, ""
	if s.dialect == Postgres {
		maxParams, override = pgMaxParams, " OVERRIDING SYSTEM VALUE"
	}
	per := max(1, min(maxParams/len(cols), bulkMaxRows))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ")" + override + " VALUES "
	exec := func(query string, args []any) error {
		_, err := q.Exec(ctx, query, args...)
		return err
	}
	if sq, ok := q.(sqlQuerier); ok && n > per {
		// SQLite: prepare the full-batch statement once.
		if p, ok := sq.q.(preparer); ok {
			full := valuesStatement(head, len(cols), per)
			stmt, err := p.PrepareContext(ctx, full)
			if err != nil {
				return fmt.Errorf("store: bulk insert into %s: %w", table, mapError(err))
			}
			defer stmt.Close()
			exec = func(query string, args []any) error {
				if query != full {
					_, err := q.Exec(ctx, query, args...)
					return err
				}
				_, err := stmt.ExecContext(ctx, sqliteArgs(args)...)
				return mapError(err)
			}
		}
	}
	var full string // the statement for a whole batch, built once
	args := make([]any, 0, per*len(cols))
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		query := full
		if query == "" || end-start != per {
			query = valuesStatement(head, len(cols), end-start)
			if end-start == per {
				full = query
			}
		}
		args = args[:0]
		for i := start; i < end; i++ {
			args = add(args, i)
		}
		if len(args) != (end-start)*len(cols) {
			return fmt.Errorf("store: bulk insert into %s: %d arguments for %d rows of %d columns", table, len(args), end-start, len(cols))
		}
		if err := exec(query, args); err != nil {
			return fmt.Errorf("store: bulk insert into %s: %w", table, err)
		}
	}
	return nil
}

// valuesStatement appends rows placeholder groups ($1, $2 …) to head.
func valuesStatement(head string, cols, rows int) string {
	var b strings.Builder
	b.Grow(len(head) + rows*cols*7)
	b.WriteString(head)
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "$%d", p)
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// syncIdentity moves the PostgreSQL identity sequences of tables past
// their largest id after explicit ids were inserted. SQLite needs nothing:
// a new rowid is always larger than the largest one.
func (s *Store) syncIdentity(ctx context.Context, q Querier, tables ...string) error {
	if s.dialect != Postgres {
		return nil
	}
	for _, t := range tables {
		if _, err := q.Exec(ctx, "SELECT setval(pg_get_serial_sequence('"+t+"', 'id'), (SELECT MAX(id) FROM "+t+"))"); err != nil {
			return fmt.Errorf("store: sync %s id sequence: %w", t, err)
		}
	}
	return nil
}

// InsertTeams bulk-inserts teams with their ids.
func (s *Store) InsertTeams(ctx context.Context, rows []model.Team) error {
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "teams", []string{"id", "name", "calendar_id", "created_at"}, len(rows),
			func(a []any, i int) []any { r := &rows[i]; return append(a, r.ID, r.Name, r.CalendarID, r.CreatedAt) })
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "teams")
	})
}

// InsertUsers bulk-inserts staff users with their ids. E-mails are stored
// lower-cased, as CreateUser does.
func (s *Store) InsertUsers(ctx context.Context, rows []model.User) error {
	cols := []string{"id", "email", "name", "role", "team_id", "locale", "password_hash", "active", "created_at", "centre_id"}
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "users", cols, len(rows), func(a []any, i int) []any {
			r := &rows[i]
			return append(a, r.ID, strings.ToLower(r.Email), r.Name, string(r.Role), r.TeamID, r.Locale, r.PasswordHash, r.Active, r.CreatedAt, r.CentreID)
		})
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "users")
	})
}

// InsertCustomers bulk-inserts customers with their ids. An empty e-mail
// or phone is stored as NULL (unknown), as CreateCustomer does.
func (s *Store) InsertCustomers(ctx context.Context, rows []model.Customer) error {
	cols := []string{"id", "name", "email", "phone", "locale", "password_hash", "address", "city", "created_at"}
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "customers", cols, len(rows), func(a []any, i int) []any {
			r := &rows[i]
			return append(a, r.ID, r.Name, nullString(strings.ToLower(r.Email)), nullString(r.Phone), r.Locale,
				r.PasswordHash, r.Address, r.City, r.CreatedAt)
		})
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "customers")
	})
}

// nullString maps "" to NULL.
func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// InsertProducts bulk-inserts product models and their warranty policies
// (policies[i].ProductID must name one of the products), with their ids.
func (s *Store) InsertProducts(ctx context.Context, products []model.Product, policies []model.WarrantyPolicy) error {
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "products", []string{"id", "sku", "name", "brand", "category", "warranty_months", "created_at"},
			len(products), func(a []any, i int) []any {
				r := &products[i]
				return append(a, r.ID, r.SKU, r.Name, r.Brand, r.Category, r.WarrantyMonths, r.CreatedAt)
			})
		if err != nil {
			return err
		}
		err = s.bulkInsert(ctx, q, "warranty_policies", []string{"id", "product_id", "months", "covers_parts", "covers_labour", "covers_shipping"},
			len(policies), func(a []any, i int) []any {
				r := &policies[i]
				return append(a, r.ID, r.ProductID, r.Months, r.CoversParts, r.CoversLabour, r.CoversShipping)
			})
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "products", "warranty_policies")
	})
}

// InsertCategories bulk-inserts request categories with their ids;
// parents must come before their children.
func (s *Store) InsertCategories(ctx context.Context, rows []model.Category) error {
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "categories", []string{"id", "parent_id", "name_zh", "name_en"}, len(rows),
			func(a []any, i int) []any { r := &rows[i]; return append(a, r.ID, r.ParentID, r.NameZh, r.NameEn) })
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "categories")
	})
}

// InsertUnits bulk-inserts serial-numbered units with their ids.
// PurchasedAt is a date (midnight UTC, as catalog.Service parses it).
func (s *Store) InsertUnits(ctx context.Context, rows []model.Unit) error {
	cols := []string{"id", "serial", "product_id", "customer_id", "purchased_at", "channel", "order_ref", "created_at", "delivered_at"}
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "units", cols, len(rows), func(a []any, i int) []any {
			r := &rows[i]
			return append(a, r.ID, r.Serial, r.ProductID, r.CustomerID, r.PurchasedAt, r.Channel, r.OrderRef, r.CreatedAt, r.DeliveredAt)
		})
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "units")
	})
}

// InsertRequests bulk-inserts requests with their messages and timeline
// events in one transaction, all with their ids, and their search
// documents (so seeded requests are found as created ones are). The caller keeps the
// store's invariants: numbers unique and sequential per year (see
// SetRequestCounters), priority consistent, events and messages in time
// order, updated_at the time of the last activity.
func (s *Store) InsertRequests(ctx context.Context, reqs []model.Request, msgs []model.Message, events []model.Event) error {
	reqCols := []string{"id", "number", "type", "status", "priority", "priority_rank", "channel", "subject", "description",
		"customer_id", "unit_id", "category_id", "assignee_id", "team_id", "version", "created_at", "updated_at",
		"resolved_at", "closed_at"}
	msgCols := []string{"id", "request_id", "author_kind", "author_id", "author_name", "visibility", "channel", "body", "created_at"}
	evCols := []string{"id", "request_id", "actor_kind", "actor_id", "actor_name", "channel", "kind", "old_value", "new_value", "created_at"}
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "requests", reqCols, len(reqs), func(a []any, i int) []any {
			r := &reqs[i]
			return append(a, r.ID, r.Number, string(r.Type), string(r.Status), string(r.Priority), r.Priority.Rank(),
				string(r.Channel), r.Subject, r.Description, r.CustomerID, r.UnitID, r.CategoryID, r.AssigneeID, r.TeamID,
				r.Version, r.CreatedAt, r.UpdatedAt, r.ResolvedAt, r.ClosedAt)
		})
		if err != nil {
			return err
		}
		err = s.bulkInsert(ctx, q, "messages", msgCols, len(msgs), func(a []any, i int) []any {
			m := &msgs[i]
			return append(a, m.ID, m.RequestID, string(m.AuthorKind), m.AuthorID, m.AuthorName, string(m.Visibility),
				string(m.Channel), m.Body, m.CreatedAt)
		})
		if err != nil {
			return err
		}
		err = s.bulkInsert(ctx, q, "events", evCols, len(events), func(a []any, i int) []any {
			e := &events[i]
			return append(a, e.ID, e.RequestID, string(e.ActorKind), e.ActorID, e.ActorName, string(e.Channel), e.Kind,
				e.OldValue, e.NewValue, e.CreatedAt)
		})
		if err != nil {
			return err
		}
		if err := s.indexBulkTx(ctx, q, reqs, msgs); err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "requests", "messages", "events")
	})
}

// SetRequestCounters raises the per-year request-number counters to at
// least the given last numbers, so that CreateRequest continues each
// year's sequence after bulk-inserted requests.
func (s *Store) SetRequestCounters(ctx context.Context, last map[int]int64) error {
	return s.Tx(ctx, func(q Querier) error {
		for year, n := range last {
			_, err := q.Exec(ctx, `INSERT INTO request_counters (year, last) VALUES ($1, $2)
				ON CONFLICT (year) DO UPDATE SET last = CASE WHEN excluded.last > request_counters.last
				THEN excluded.last ELSE request_counters.last END`, year, n)
			if err != nil {
				return fmt.Errorf("store: set request counter %d: %w", year, err)
			}
		}
		return nil
	})
}
