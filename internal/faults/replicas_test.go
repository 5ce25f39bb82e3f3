package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestReplicasRunScheduledWorkOnce runs two and then three `settle serve` replicas on one
// PostgreSQL database under a load of records, card charges, refunds and ACH debits spread
// over them all, while each replica advances the account's test clock in small steps: every
// advance runs, on that replica, what has fallen due, so replicas race for the same
// scheduled work (bank debits settling, card funds becoming available), as they do with the
// periodic schedule job each one works, and all of them drain the payment follow-up queue.
// Afterwards each scheduled row ran exactly once to effect — one claim, one status change
// and timeline entry, one balance transaction for a debit that settled, none for one that
// failed, its follow-ups recorded — and the checks of TestKillUnderLoad hold.
//
// Payout runs and subscription renewals are periodic work too, but Settle does not make
// them yet; when it does, they belong in this test.
func TestReplicasRunScheduledWorkOnce(t *testing.T) {
	url := dbtest.URL(t, config.Postgres)
	first := newServer(t, url)
	first.start()
	l := newLoad(t, first.token(), first.url())
	l.debits = true
	l.enableInvoices()
	ctx, cancel := context.WithCancel(context.Background())
	adv := &advancer{t: t, token: l.token}
	waitLoad := l.run(ctx, 6)
	replicas := []*server{first}
	for n := 2; n <= 3; n++ {
		r := newServer(t, url)
		r.start()
		replicas = append(replicas, r)
		l.addBase(r.url())
		if n == 2 {
			adv.run(ctx, first.url())
		}
		adv.run(ctx, r.url())
		time.Sleep(8 * time.Second)
		t.Logf("%d replicas: %s", n, l.summary())
	}
	cancel()
	waitLoad()
	adv.wait()
	adv.finish(first.url(), "240h")
	t.Log(adv.summary())
	if t.Failed() {
		return
	}
	first.verify()
	s := openStore(t, url)
	s.checkAll(l)
	s.checkSchedule()
	s.checkDebits(l)
}

// advancer moves the account's test clock forward in steps from several replicas at once.
type advancer struct {
	t     *testing.T
	token string
	wg    sync.WaitGroup
	mu    sync.Mutex
	ok    int
	ran   int
}

// run advances the clock through base by 2h every 200 ms until ctx is done.
func (a *advancer) run(ctx context.Context, base string) {
	a.wg.Go(func() {
		for ctx.Err() == nil {
			a.advance(base, "2h")
			time.Sleep(200 * time.Millisecond)
		}
	})
}

func (a *advancer) wait() { a.wg.Wait() }

// finish advances the clock far enough that all the work scheduled so far is due and runs.
func (a *advancer) finish(base, by string) { a.advance(base, by) }

// advance asks base to advance the clock by by; any answer but 200 fails the test.
func (a *advancer) advance(base, by string) {
	req, _ := http.NewRequest("POST", base+"/settle/v1/test-clock/advance", strings.NewReader(fmt.Sprintf(`{"by":%q}`, by)))
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Errorf("advance the test clock through %s: %v", base, err)
		return
	}
	defer res.Body.Close()
	var out struct{ Ran int }
	if res.StatusCode != http.StatusOK || decodeJSON(res, &out) != nil {
		a.t.Errorf("advancing the test clock through %s answered %d", base, res.StatusCode)
		return
	}
	a.mu.Lock()
	a.ok++
	a.ran += out.Ran
	a.mu.Unlock()
}

func (a *advancer) summary() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("%d test clock advances counted %d pieces of scheduled work run "+
		"(a row another replica claimed first counts for both)", a.ok, a.ran)
}

// decodeJSON reads a JSON answer into out.
func decodeJSON(res *http.Response, out any) error {
	return json.NewDecoder(res.Body).Decode(out)
}
