package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// openCaching opens a SQLite database whose connections keep up to size
// statements, with at most conns connections.
func openCaching(t *testing.T, size, conns int) (*sql.DB, *atomic.Int64) {
	t.Helper()
	hits := new(atomic.Int64)
	c, err := newCachingConnector("file:"+filepath.Join(t.TempDir(), "c.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)", size, hits)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(conns)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE n (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := db.Exec("INSERT INTO n (id, v) VALUES ($1, $2)", i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db, hits
}

// ids runs query on conn and returns the ids it lists; inner, when not
// nil, runs for each row while the rows are still open.
func ids(t *testing.T, conn *sql.Conn, query string, inner func()) []int64 {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
		if inner != nil {
			inner()
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A query run again on the same connection while the rows of its first
// run are open (a loop that looks something up with the same statement)
// gets its own full answer, and the outer loop goes on undisturbed.
func TestCachedStatementInsideItsOwnRows(t *testing.T) {
	db, hits := openCaching(t, 8, 1)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const q = "SELECT id FROM n ORDER BY id"
	ids(t, conn, q, nil) // kept
	before := hits.Load()
	var inner [][]int64
	outer := ids(t, conn, q, func() { inner = append(inner, ids(t, conn, q, nil)) })
	if fmt.Sprint(outer) != "[1 2 3]" {
		t.Errorf("outer loop got %v, want [1 2 3]", outer)
	}
	for i, got := range inner {
		if fmt.Sprint(got) != "[1 2 3]" {
			t.Errorf("inner run %d got %v, want [1 2 3]", i, got)
		}
	}
	if hits.Load() == before {
		t.Errorf("the outer run did not use the kept statement")
	}
	if got := ids(t, conn, q, nil); fmt.Sprint(got) != "[1 2 3]" {
		t.Errorf("after the loop got %v, want [1 2 3]", got)
	}
}

// More distinct statements than a connection keeps: each answers right,
// and the connection keeps no more than its bound.
func TestStatementCacheBound(t *testing.T) {
	const size = 4
	db, _ := openCaching(t, size, 1)
	ctx := context.Background()
	for round := range 3 {
		for k := range 10 {
			var got int64
			if err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT $1 + %d", k), round).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := int64(round + k); got != want {
				t.Errorf("SELECT %d + %d = %d, want %d", round, k, got, want)
			}
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Raw(func(dc any) error {
		c := dc.(*cachingConn)
		if c.lru.Len() > size || len(c.byText) != c.lru.Len() {
			t.Errorf("kept %d statements (%d by text), want at most %d", c.lru.Len(), len(c.byText), size)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A kept statement that failed (a unique violation) runs again, with
// other arguments, as if new; and a failed write leaves nothing behind.
func TestCachedStatementAfterAnError(t *testing.T) {
	db, hits := openCaching(t, 8, 1)
	const ins = "INSERT INTO n (id, v) VALUES ($1, $2)"
	if _, err := db.Exec(ins, 1, "again"); err == nil {
		t.Fatal("inserting id 1 twice succeeded")
	}
	before := hits.Load()
	if _, err := db.Exec(ins, 4, "v4"); err != nil {
		t.Fatalf("insert after a failed one: %v", err)
	}
	if hits.Load() == before {
		t.Errorf("the second insert did not use the kept statement")
	}
	var v string
	if err := db.QueryRow("SELECT v FROM n WHERE id = $1", 4).Scan(&v); err != nil || v != "v4" {
		t.Errorf("row 4 = %q, %v; want v4", v, err)
	}
	if err := db.QueryRow("SELECT v FROM n WHERE id = $1", 1).Scan(&v); err != nil || v != "v1" {
		t.Errorf("row 1 = %q, %v; want v1", v, err)
	}
}

// Many goroutines on a pool of connections, the same texts with their
// own arguments: every answer is the one for its arguments.
func TestStatementCacheConcurrent(t *testing.T) {
	db, hits := openCaching(t, 8, 4)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 100 {
				var got int64
				var v string
				id := 1 + (g+i)%3
				if err := db.QueryRow("SELECT id, v FROM n WHERE id = $1", id).Scan(&got, &v); err != nil {
					t.Error(err)
					return
				}
				if got != int64(id) || v != fmt.Sprint("v", id) {
					t.Errorf("row %d read as %d %q", id, got, v)
				}
				var sum int64
				if err := db.QueryRow("SELECT $1 + $2", g, i).Scan(&sum); err != nil {
					t.Error(err)
					return
				}
				if sum != int64(g+i) {
					t.Errorf("%d + %d = %d", g, i, sum)
				}
			}
		})
	}
	wg.Wait()
	if hits.Load() == 0 {
		t.Errorf("no statement was run from a cache")
	}
}

// SELECT * kept before ADD COLUMN answers with the new column after it:
// SQLite prepares a kept statement again when the schema changed.
func TestCachedSelectStarAfterAddColumn(t *testing.T) {
	db, hits := openCaching(t, 8, 1)
	const q = "SELECT * FROM n WHERE id = $1"
	var id int64
	var v, w string
	if err := db.QueryRow(q, 1).Scan(&id, &v); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("ALTER TABLE n ADD COLUMN w TEXT NOT NULL DEFAULT 'new'"); err != nil {
		t.Fatal(err)
	}
	before := hits.Load()
	if err := db.QueryRow(q, 1).Scan(&id, &v, &w); err != nil {
		t.Fatalf("after ADD COLUMN: %v", err)
	}
	if id != 1 || v != "v1" || w != "new" {
		t.Errorf("got %d %q %q, want 1 v1 new", id, v, w)
	}
	if hits.Load() == before {
		t.Errorf("the query after ADD COLUMN did not use the kept statement")
	}
}
