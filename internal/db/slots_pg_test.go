package db_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestPostgresTransactionsTakeSlotsReadsDoNot: with a pool of four connections, two write
// transactions run at once and a third waits for one of them although the pool has
// connections to spare; a read outside a transaction goes through meanwhile.
func TestPostgresTransactionsTakeSlotsReadsDoNot(t *testing.T) {
	url := dbtest.URL(t, config.Postgres) + "&pool_max_conns=4"
	ctx := context.Background()
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	inside, done := make(chan struct{}), make(chan struct{})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			errs <- d.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `SELECT 1`); err != nil {
					return err
				}
				inside <- struct{}{}
				<-done
				return nil
			})
		}()
	}
	<-inside
	<-inside
	var one int
	if err := d.Read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		t.Fatalf("a read while both slots are taken: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	err = d.InTx(short, func(tx *sql.Tx) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a third transaction while two run: %v, want it to wait for a slot", err)
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if err := d.InTx(ctx, func(tx *sql.Tx) error { return nil }); err != nil {
		t.Fatalf("a transaction once the slots are back: %v", err)
	}
}
