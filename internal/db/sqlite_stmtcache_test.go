package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/settlehq/settle/internal/db"
)

// TestStatementCache runs the same statements many times, with a nested use of one query
// while its rows are open and more distinct statements than the cache holds.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Write.Exec(`CREATE TABLE n (i INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for i := range 700 { // more distinct texts than the cache keeps
		if _, err := d.Write.Exec(fmt.Sprintf(`INSERT INTO n (i) VALUES (%d)`, i)); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT i FROM n WHERE i < $1 ORDER BY i`
	tx, err := d.Write.Begin() // one connection: the nested query runs on the same one
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.Query(q, 3)
	if err != nil {
		t.Fatal(err)
	}
	var outer []int
	for rows.Next() {
		var i int
		if err := rows.Scan(&i); err != nil {
			t.Fatal(err)
		}
		var inner int
		// The same text while its rows are open: it must not disturb them.
		if err := tx.QueryRow(q, 700).Scan(&inner); err != nil || inner != 0 {
			t.Fatalf("nested query: %d, %v", inner, err)
		}
		outer = append(outer, i)
	}
	rows.Close()
	if fmt.Sprint(outer) != "[0 1 2]" {
		t.Fatalf("outer rows %v", outer)
	}
	var n int
	for range 3 {
		if err := d.Read.QueryRow(`SELECT count(*) FROM n WHERE i >= $1`, 350).Scan(&n); err != nil || n != 350 {
			t.Fatalf("count %d, %v", n, err)
		}
	}
}
