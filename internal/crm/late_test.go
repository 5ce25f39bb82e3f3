package crm_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
)

// probeHook looks, from AfterCreate, for the new record's row in the creating transaction,
// and fails the creation when fail is set.
type probeHook struct {
	mu    sync.Mutex
	found []bool // whether each AfterCreate found the row
	fail  bool
}

func (h *probeHook) BeforeCreate(context.Context, int64, map[string]string) (map[string]string, error) {
	return nil, nil
}

func (h *probeHook) AfterCreate(ctx context.Context, tx *sql.Tx, c crm.Created) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM crm_deals WHERE id = $1`, c.Record.ID).Scan(&n); err != nil {
		return false, err
	}
	h.mu.Lock()
	h.found = append(h.found, n == 1)
	h.mu.Unlock()
	if h.fail {
		return false, errors.New("refused by the hook")
	}
	return false, nil
}

func (h *probeHook) BeforeChange(context.Context, int64, crm.Record, map[string]string) error {
	return nil
}

func (h *probeHook) AfterUpdate(context.Context, *sql.Tx, int64, crm.Record, crm.Record, crm.Source) error {
	return nil
}

// lateProbeHook is probeHook for a type whose new records may be written at commit.
type lateProbeHook struct{ *probeHook }

func (lateProbeHook) LateInsert() {}

// TestCreateWritesItsRowAtCommit: on PostgreSQL a new deal, whose hook says it does not
// read it (crm.LateInsert), has no row until its transaction commits; then it reads back
// exactly as Create answered, dates to the microsecond. Concurrent creations, which share
// transactions, get ids of their own; a creation its hook refuses leaves no row. Without
// LateInsert the row is there for the hook to read.
func TestCreateWritesItsRowAtCommit(t *testing.T) {
	f := newFixture(t, config.Postgres)
	ctx := context.Background()
	probe := &probeHook{}
	f.svc.SetHook("deals", lateProbeHook{probe})
	const n = 24
	recs := make([]crm.Record, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			recs[i], errs[i] = f.svc.Create(ctx, f.acct, "deals", crm.Input{Properties: map[string]string{
				"dealname": fmt.Sprintf("Deal %d", i), "amount": "125.5"}}, api)
		})
	}
	wg.Wait()
	ids := map[int64]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("deal %d: %v", i, errs[i])
		}
		ids[recs[i].ID] = true
		got, err := f.svc.Get(ctx, f.acct, "deals", recs[i].IDString(), "", crm.ReadOptions{})
		if err != nil {
			t.Fatalf("deal %d, id %d, after its Create returned: %v", i, recs[i].ID, err)
		}
		for _, p := range []string{"dealname", "amount", "createdate", "hs_lastmodifieddate", "hs_object_id"} {
			if got.Values[p] != recs[i].Values[p] {
				t.Errorf("deal %d: %s reads %q, Create answered %q", i, p, got.Values[p], recs[i].Values[p])
			}
		}
	}
	if len(ids) != n {
		t.Errorf("%d deals got %d ids", n, len(ids))
	}
	for i, found := range probe.found {
		if found {
			t.Errorf("AfterCreate %d found its deal's row before the commit", i)
		}
	}
	probe.fail, probe.found = true, nil
	refused, err := f.svc.Create(ctx, f.acct, "deals", crm.Input{Properties: map[string]string{"dealname": "Refused"}}, api)
	if err == nil {
		t.Fatalf("the hook's refusal was lost: %+v", refused)
	}
	var left int
	if err := f.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM crm_deals WHERE dealname = 'Refused'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("a refused deal left %d rows (%v)", left, err)
	}
	probe.fail, probe.found = false, nil
	f.svc.SetHook("deals", probe)
	if _, err := f.svc.Create(ctx, f.acct, "deals", crm.Input{Properties: map[string]string{"dealname": "Read"}}, api); err != nil {
		t.Fatal(err)
	}
	if len(probe.found) != 1 || !probe.found[0] {
		t.Errorf("without LateInsert, AfterCreate found its row: %v, want it there", probe.found)
	}
}
