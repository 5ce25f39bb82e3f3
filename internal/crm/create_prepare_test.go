package crm_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// TestRefusedCreateTakesNoWriteTurn: on SQLite, writers take turns on one transaction.
// A create whose values are refused answers while another writer holds the turn: its
// input is checked before it waits for one. A valid create waits, and is written once the
// turn is free.
func TestRefusedCreateTakesNoWriteTurn(t *testing.T) {
	f := newFixture(t, config.SQLite)
	ctx := context.Background()
	holding, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- f.db.InTx(ctx, func(*sql.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding

	refused := make(chan error, 1)
	go func() {
		_, err := f.svc.Create(ctx, f.acct, "deals", crm.Input{Properties: map[string]string{"amount": "a lot"}}, api)
		refused <- err
	}()
	select {
	case err := <-refused:
		var invalid *problem.InvalidError
		if !errors.As(err, &invalid) {
			t.Errorf("refused create: %v, want an invalid-input error", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("a create with an invalid amount waited for the write turn")
	}

	created := make(chan error, 1)
	go func() {
		_, err := f.svc.Create(ctx, f.acct, "deals", crm.Input{Properties: map[string]string{"dealname": "Waits", "amount": "10"}}, api)
		created <- err
	}()
	close(release)
	if err := <-held; err != nil {
		t.Fatalf("the writer holding the turn: %v", err)
	}
	if err := <-created; err != nil {
		t.Fatalf("valid create: %v", err)
	}
}
