package jobs_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/jobs"
)

type recordArgs struct {
	Name string `json:"name"`
}

func (recordArgs) Kind() string { return "test_record" }

// recordWorker counts the runs of each named job.
type recordWorker struct {
	river.WorkerDefaults[recordArgs]
	mu   sync.Mutex
	runs map[string]int
	done chan string
}

func (w *recordWorker) Work(ctx context.Context, job *river.Job[recordArgs]) error {
	w.mu.Lock()
	w.runs[job.Args.Name]++
	w.mu.Unlock()
	w.done <- job.Args.Name
	return nil
}

func (w *recordWorker) count(name string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.runs[name]
}

func startClient(t *testing.T, d *db.DB, w *recordWorker) *jobs.Client {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	reg := jobs.NewRegistry()
	jobs.Add(reg, w)
	c, err := jobs.New(d, jobs.Options{Registry: reg, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := c.Stop(stopCtx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return c
}

func TestJobsFollowTheirTransaction(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := dbtest.Open(t, engine)
		w := &recordWorker{runs: map[string]int{}, done: make(chan string, 10)}
		c := startClient(t, d, w)

		errRollback := errors.New("roll back")
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			if err := c.InsertTx(ctx, tx, recordArgs{Name: "rolled-back"}, nil); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("InTx = %v", err)
		}
		err = d.InTx(ctx, func(tx *sql.Tx) error {
			return c.InsertTx(ctx, tx, recordArgs{Name: "committed"}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, w.done, "committed")
		// The committed job was inserted after the rolled-back one, and jobs are fetched in
		// id order, so had the rolled-back job existed it would have run by now.
		if n := w.count("rolled-back"); n != 0 {
			t.Fatalf("the rolled-back job ran %d times", n)
		}
		assertJobRows(t, d)
		if n := w.count("committed"); n != 1 {
			t.Fatalf("the committed job ran %d times, want 1", n)
		}
	})
}

func waitFor(t *testing.T, done <-chan string, name string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case got := <-done:
			if got == name {
				return
			}
		case <-deadline:
			t.Fatalf("job %q did not run within 10s", name)
		}
	}
}

// assertJobRows waits for River to record the committed job as completed, then checks that
// it is the only test job in River's table: the rolled-back insert left no row.
func assertJobRows(t *testing.T, d *db.DB) {
	t.Helper()
	var n int
	var state string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		err := d.Read.QueryRow(`SELECT count(*), max(state) FROM river_job WHERE kind = 'test_record'`).Scan(&n, &state)
		if err != nil {
			t.Fatal(err)
		}
		if state == "completed" {
			break
		}
	}
	if n != 1 || state != "completed" {
		t.Fatalf("river_job holds %d test jobs (state %q), want 1 completed", n, state)
	}
}
