package faults

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// testCard is the built-in processor's card that always succeeds.
const testCard = `{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2040,"cvc":"123"}}`

// chargeAmount is the amount of every card charge of the load, in minor units.
const chargeAmount = 5000

// write is one request of the load that changes something, sent under its own
// Idempotency-Key until Settle acknowledges it.
type write struct {
	kind   string // "record", "charge", "refund" or "debit"
	path   string
	body   string
	key    string
	email  string // the buyer, for records and charges
	amount int64  // the refund's amount
	// payment is the id of the refunded payment (refunds).
	payment string
}

// ack is an acknowledged write with what the answer said.
type ack struct {
	write
	id       string // the payment's or refund's id
	chargeID string // the processor charge of a card payment
}

// answer is one HTTP answer: its status and body, or the error that stood for it.
type answer struct {
	status int
	body   []byte
	err    error
	// replayed says Settle answered from the stored answer of an earlier attempt.
	replayed bool
}

// load sends record, charge and refund writes from several clients until stopped, and
// keeps every acknowledged one. Each write is sent again, with the same Idempotency-Key and
// body, after every failure until it is acknowledged: a write started is finished.
type load struct {
	t     *testing.T
	bases []string // the servers' URLs, taken in turn by each client's writes
	token string
	// debits adds ACH bank debits to the mix: one write in four.
	debits bool
	// link, when set, is a payment link that one write in six pays through the buyer
	// checkout, whose payments get an invoice from a follow-up (see enableInvoices).
	link   string
	tag    string
	http   *http.Client
	mu     sync.Mutex
	acked  []ack
	failed map[string]int // failed attempts by category ("connection", "http 503", …)
	// replayed counts acknowledgements of a write that an attempt cut short had committed.
	replayed int
	// onFailure, when set, sees every failed attempt's answer.
	onFailure func(answer)
}

// newLoad prepares a load on the servers at bases with token.
func newLoad(t *testing.T, token string, bases ...string) *load {
	return &load{t: t, bases: bases, token: token, tag: randomTag(), failed: map[string]int{},
		http: &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
}

func randomTag() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// run starts clients goroutines; cancelling ctx stops each after its current write, and
// the returned function waits for them all.
func (l *load) run(ctx context.Context, clients int) (wait func()) {
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() { l.client(ctx, c) })
	}
	return wg.Wait
}

// client is one client's loop: records, card charges and refunds of its own charges.
func (l *load) client(ctx context.Context, c int) {
	refundable := map[string]int64{} // this client's payments and what is left to refund
	for i := 0; ctx.Err() == nil; i++ {
		w := l.next(c, i, refundable)
		a, ok := l.send(l.base(c+i), w)
		if !ok {
			return
		}
		l.keep(a)
		switch w.kind {
		case "charge":
			refundable[a.id] = chargeAmount
		case "refund":
			refundable[w.payment] -= w.amount
		}
	}
}

// base is the nth of the servers, in turn.
func (l *load) base(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bases[n%len(l.bases)]
}

// addBase spreads the clients' next writes over one more server.
func (l *load) addBase(url string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bases = append(l.bases, url)
}

// next is client c's ith write: a record, a charge, a refund of one of its payments with
// something left to refund, or, when the load has debits, a bank debit.
func (l *load) next(c, i int, refundable map[string]int64) write {
	key := fmt.Sprintf("faults-%s-%d-%d", l.tag, c, i)
	email := fmt.Sprintf("buyer-%s-%d-%d@faults.example", l.tag, c, i)
	if l.debits && i%4 == 3 {
		return debit(key, email, i%8 == 7)
	}
	switch i % 3 {
	case 0:
		return write{kind: "record", path: "/crm/v3/objects/commerce_payments", key: key, email: email,
			body: fmt.Sprintf(`{"properties":{"hs_initial_amount":"%d.00","hs_initiated_date":"2026-01-02T03:04:05Z",
			"hs_latest_status":"succeeded","hs_customer_email":%q,"hs_processor_type":"quickbooks"}}`, 10+i%90, email)}
	case 2:
		for id, left := range refundable {
			if left > 0 {
				amount := min(left, 1000+mrand.Int64N(1000))
				return write{kind: "refund", path: "/settle/v1/payments/" + id + "/refunds", key: key, payment: id, amount: amount,
					body: fmt.Sprintf(`{"amount":%d,"reason":"requested_by_customer"}`, amount)}
			}
		}
	}
	if l.link != "" && i%6 == 1 {
		return write{kind: "checkout", path: "/settle/v1/checkout", key: key, email: email, body: fmt.Sprintf(
			`{"source":{"type":"payment_link","id":%q},"buyer":{"email":%q,"first_name":"Ada"},"payment_method":%s}`,
			l.link, email, testCard)}
	}
	return write{kind: "charge", path: "/settle/v1/payments", key: key, email: email,
		body: fmt.Sprintf(`{"amount":%d,"currency":"USD","buyer":{"email":%q},"payment_method":%s}`, chargeAmount, email, testCard)}
}

// The built-in processor's ACH test accounts: a debit that settles and one that fails.
const (
	achSettles = "000123456789"
	achFails   = "000111111116"
)

// debitAmount is the amount of every bank debit of the load, in minor units.
const debitAmount = 2500

// debit is an ACH debit of the built-in processor's test account, one that fails when
// fails is set.
func debit(key, email string, fails bool) write {
	account := achSettles
	if fails {
		account = achFails
	}
	return write{kind: "debit", path: "/settle/v1/payments", key: key, email: email, body: fmt.Sprintf(`{"amount":%d,
		"currency":"USD","buyer":{"email":%q},"payment_method":{"type":"ach","ach":{"routing_number":"110000000",
		"account_number":%q,"account_holder":"Ada Lovelace"}}}`, debitAmount, email, account)}
}

// enableInvoices makes the account create an invoice for every payment made through a
// payment link, and creates the link that the load's checkouts pay.
func (l *load) enableInvoices() {
	l.t.Helper()
	base := l.base(0)
	if ans := l.request("PATCH", base, "/settle/v1/account", `{"settings":{"create_invoices":true}}`); ans.status != http.StatusOK {
		l.t.Fatalf("turn on invoices for payments: %d %s %v", ans.status, ans.body, ans.err)
	}
	ans := l.request("POST", base, "/settle/v1/payment-links",
		`{"name":"Fault test ticket","line_items":[{"name":"Ticket","unit_amount":4999,"currency":"USD"}]}`)
	var link struct{ ID, Slug string }
	if ans.status != http.StatusCreated || json.Unmarshal(ans.body, &link) != nil {
		l.t.Fatalf("create a payment link: %d %s %v", ans.status, ans.body, ans.err)
	}
	l.link = link.Slug
}

// sendDeadline bounds how long one write is retried: well past any outage or restart the
// tests cause.
const sendDeadline = 90 * time.Second

// send posts w to base until it is acknowledged (2xx) and returns what the answer said;
// false when it was not acknowledged in sendDeadline, which fails the test.
func (l *load) send(base string, w write) (ack, bool) {
	deadline := time.Now().Add(sendDeadline)
	for time.Now().Before(deadline) {
		ans := l.post(base, w)
		if ans.err == nil && ans.status/100 == 2 {
			l.countReplay(ans)
			return decodeAck(w, ans.body)
		}
		l.failure(ans)
		if ans.err == nil && ans.status/100 == 4 {
			l.t.Errorf("%s %s (key %s) answered %d: %s", w.kind, w.path, w.key, ans.status, ans.body)
			return ack{}, false
		}
		time.Sleep(50 * time.Millisecond)
	}
	l.t.Errorf("%s %s (key %s) was not acknowledged within %s", w.kind, w.path, w.key, sendDeadline)
	return ack{}, false
}

// post sends w once.
func (l *load) post(base string, w write) answer {
	return l.request("POST", base, w.path, w.body, "Idempotency-Key", w.key)
}

// request sends one request with the load's token, and headers as name, value pairs.
func (l *load) request(method, base, path, body string, headers ...string) answer {
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+l.token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := l.http.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, body: bytes.TrimSpace(got), err: err,
		replayed: res.Header.Get("Idempotency-Hit") == "true"}
}

// decodeAck reads the id (and the charge id of a card payment) from an acknowledgement.
func decodeAck(w write, body []byte) (ack, bool) {
	var out struct {
		ID        string  `json:"id"`
		PaymentID string  `json:"payment_id"` // a checkout's answer
		ChargeID  *string `json:"charge_id"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.ID+out.PaymentID == "" {
		return ack{}, false
	}
	if out.ID == "" {
		out.ID = out.PaymentID
	}
	a := ack{write: w, id: out.ID}
	if out.ChargeID != nil {
		a.chargeID = *out.ChargeID
	}
	return a, true
}

func (l *load) countReplay(ans answer) {
	if ans.replayed {
		l.mu.Lock()
		l.replayed++
		l.mu.Unlock()
	}
}

func (l *load) keep(a ack) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acked = append(l.acked, a)
}

// failure counts a failed attempt by category and shows it to onFailure.
func (l *load) failure(ans answer) {
	cat := fmt.Sprintf("http %d", ans.status)
	if ans.err != nil {
		cat = "connection"
		if errors.Is(ans.err, context.DeadlineExceeded) || strings.Contains(ans.err.Error(), "Timeout") {
			cat = "timeout"
		}
	}
	l.mu.Lock()
	l.failed[cat]++
	f := l.onFailure
	l.mu.Unlock()
	if f != nil {
		f(ans)
	}
}

// acks returns the acknowledged writes of kind.
func (l *load) acks(kind string) []ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []ack
	for _, a := range l.acked {
		if a.kind == kind {
			out = append(out, a)
		}
	}
	return out
}

// ackCount is how many writes have been acknowledged so far.
func (l *load) ackCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

// summary says how much the load did and how its attempts failed, for the test log.
func (l *load) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprintf("%d writes acknowledged (%d from the stored answer of an attempt cut short); failed attempts by category: %v",
		len(l.acked), l.replayed, l.failed)
}
