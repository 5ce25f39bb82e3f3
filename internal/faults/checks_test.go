package faults

import (
	"context"
	"database/sql"
	"strconv"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/db"
)

// store reads a server's database directly, to check what the load left there.
type store struct {
	t  *testing.T
	db *db.DB
}

// openStore opens the database at url, closed when t ends.
func openStore(t *testing.T, url string) *store {
	t.Helper()
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { d.Close() })
	return &store{t: t, db: d}
}

// rows runs query and calls scan for each row, failing the test on any error.
func (s *store) rows(query string, scan func(*sql.Rows) error, args ...any) {
	s.t.Helper()
	rows, err := s.db.Read.Query(query, args...)
	if err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			s.t.Fatalf("%s: %v", query, err)
		}
	}
	if err := rows.Err(); err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
}

// count runs a query of one integer.
func (s *store) count(query string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.db.Read.QueryRow(query, args...).Scan(&n); err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// checkPayments checks that every acknowledged record, charge, debit and checkout of l is
// one payment,
// under the id it was acknowledged with, and that there is no other payment: none applied
// twice under one Idempotency-Key, none written without an answer that said so.
func (s *store) checkPayments(l *load) {
	s.t.Helper()
	ids := map[string][]string{} // buyer email → payment ids
	s.rows(`SELECT id, hs_customer_email FROM crm_payments`, func(r *sql.Rows) error {
		var id int64
		var email string
		err := r.Scan(&id, &email)
		ids[email] = append(ids[email], strconv.FormatInt(id, 10))
		return err
	})
	var acked []ack
	for _, kind := range []string{"record", "charge", "debit", "checkout"} {
		acked = append(acked, l.acks(kind)...)
	}
	for _, a := range acked {
		if got := ids[a.email]; len(got) != 1 || got[0] != a.id {
			s.t.Errorf("%s under key %s was acknowledged as payment %s; the database has %v for %s", a.kind, a.key, a.id, got, a.email)
		}
	}
	if n := s.count(`SELECT COUNT(*) FROM crm_payments`); n != len(acked) {
		s.t.Errorf("%d payments in the database, %d acknowledged", n, len(acked))
	}
}

// refundRow is a refund as payment_refunds holds it.
type refundRow struct {
	payment, processorID string
	amount               int64
}

// checkRefunds checks that every acknowledged refund is there once, for its payment and
// amount, that there are no others, and that no charge gave back more than it took.
func (s *store) checkRefunds(l *load) {
	s.t.Helper()
	found := map[string]refundRow{}
	s.rows(`SELECT id, payment_id, COALESCE(processor_refund_id, ''), amount FROM payment_refunds`, func(r *sql.Rows) error {
		var id, payment int64
		var row refundRow
		err := r.Scan(&id, &payment, &row.processorID, &row.amount)
		row.payment = strconv.FormatInt(payment, 10)
		found[strconv.FormatInt(id, 10)] = row
		return err
	})
	acked := l.acks("refund")
	for _, a := range acked {
		if row, ok := found[a.id]; !ok || row.payment != a.payment || row.amount != a.amount {
			s.t.Errorf("refund %s (key %s) of %d on payment %s was acknowledged; the database has %+v", a.id, a.key, a.amount, a.payment, row)
		}
	}
	if len(found) != len(acked) {
		s.t.Errorf("%d refunds in the database, %d acknowledged", len(found), len(acked))
	}
	s.checkRefundTotals()
}

// checkRefundTotals checks, per charge, that refunds stay within its amount and that the
// processor's refunded total is the sum of the payment's refunds.
func (s *store) checkRefundTotals() {
	s.t.Helper()
	s.rows(`SELECT c.id, c.amount, c.refunded, COALESCE(SUM(r.amount), 0) FROM processor_charges c
		JOIN crm_payments p ON p.hs_payment_id = c.id
		LEFT JOIN payment_refunds r ON r.payment_id = p.id
		GROUP BY c.id, c.amount, c.refunded`, func(r *sql.Rows) error {
		var id string
		var amount, refunded, sum int64
		err := r.Scan(&id, &amount, &refunded, &sum)
		if sum > amount || refunded != sum {
			s.t.Errorf("charge %s of %d: refunds add up to %d, the processor counts %d refunded", id, amount, sum, refunded)
		}
		return err
	})
}

// checkLedger checks that every card payment's charge and every refund has exactly one
// balance transaction, and that no charge or refund transaction, and no processor charge,
// lacks its payment or refund. It reads the tables and compares in memory, which keeps it
// fast on both engines.
func (s *store) checkLedger() {
	s.t.Helper()
	txs := s.pairs(`SELECT type, source_id FROM balance_transactions WHERE type IN ('charge', 'refund')`)
	charges := s.pairs(`SELECT 'charge', hs_payment_id FROM crm_payments
		WHERE hs_processor_type = 'hs_payments' AND hs_processed_date IS NOT NULL`)
	refunds := s.pairs(`SELECT 'refund', COALESCE(processor_refund_id, '') FROM payment_refunds`)
	for k := range charges {
		if txs[k] != 1 {
			s.t.Errorf("succeeded charge %s has %d charge transactions", k[1], txs[k])
		}
	}
	for k := range refunds {
		if txs[k] != 1 {
			s.t.Errorf("refund %s has %d refund transactions", k[1], txs[k])
		}
	}
	for k := range txs {
		if charges[k] == 0 && refunds[k] == 0 {
			s.t.Errorf("%s transaction of %s has no succeeded payment or refund", k[0], k[1])
		}
	}
	paid := s.pairs(`SELECT 'charge', hs_payment_id FROM crm_payments WHERE hs_payment_id IS NOT NULL`)
	for k := range s.pairs(`SELECT 'charge', id FROM processor_charges`) {
		if paid[k] == 0 {
			s.t.Errorf("processor charge %s has no payment", k[1])
		}
	}
}

// pairs counts the rows of a query of two text columns by their values.
func (s *store) pairs(query string) map[[2]string]int {
	s.t.Helper()
	out := map[[2]string]int{}
	s.rows(query, func(r *sql.Rows) error {
		var k [2]string
		err := r.Scan(&k[0], &k[1])
		out[k]++
		return err
	})
	return out
}

// waitQueueDrained polls until payment_event_queue is empty, failing after timeout.
func (s *store) waitQueueDrained(timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := s.count(`SELECT COUNT(*) FROM payment_event_queue`)
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("payment_event_queue still holds %d events after %s", n, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkFollowups checks, once the queue has drained, that every payment's follow-ups of
// its success were carried out — the workflows of each succeeded payment and the receipt of
// each succeeded processor payment — and those of a refund for each refunded payment: none
// was lost. payment_followups' primary key keeps each to one.
func (s *store) checkFollowups() {
	s.t.Helper()
	ran := s.pairs(`SELECT CAST(payment_id AS TEXT), kind || ':' || event FROM payment_followups`)
	want := func(query, followup string) {
		s.t.Helper()
		for k := range s.pairs(query) {
			if ran[[2]string{k[0], followup}] != 1 {
				s.t.Errorf("payment %s (%s) has no %s follow-up", k[0], k[1], followup)
			}
		}
	}
	want(`SELECT CAST(id AS TEXT), hs_processor_type FROM crm_payments
		WHERE hs_processed_date IS NOT NULL OR hs_processor_type = 'quickbooks'`, "payment_workflows:payment.succeeded")
	want(`SELECT CAST(id AS TEXT), hs_processor_type FROM crm_payments
		WHERE hs_processor_type = 'hs_payments' AND hs_processed_date IS NOT NULL`, "payment_receipt:payment.succeeded")
	want(`SELECT DISTINCT CAST(payment_id AS TEXT), 'refunded' FROM payment_refunds`, "payment_webhooks:payment.refunded")
	s.checkInvoices()
}

// checkInvoices checks that each payment made through a payment link has exactly one
// invoice, the effect of its invoice follow-up, and that there is no other invoice.
func (s *store) checkInvoices() {
	s.t.Helper()
	invoices := map[string]map[string]bool{} // payment → its invoices
	s.rows(`SELECT CAST(from_id AS TEXT), CAST(to_id AS TEXT) FROM crm_associations
		WHERE from_type = 'commerce_payments' AND to_type = 'invoices'`, func(r *sql.Rows) error {
		var payment, invoice string
		err := r.Scan(&payment, &invoice)
		if invoices[payment] == nil {
			invoices[payment] = map[string]bool{}
		}
		invoices[payment][invoice] = true
		return err
	})
	linked := s.pairs(`SELECT CAST(id AS TEXT), hs_latest_status FROM crm_payments WHERE hs_payment_source_app = 'SALES_CHECKOUT'`)
	for k := range linked {
		if n := len(invoices[k[0]]); n != 1 {
			s.t.Errorf("payment %s, made through a payment link, has %d invoices", k[0], n)
		}
	}
	n := s.count(`SELECT COUNT(*) FROM crm_invoices`)
	if n != len(linked) {
		s.t.Errorf("%d invoices for %d payments made through a payment link", n, len(linked))
	}
	s.t.Logf("%d invoices for %d payments made through a payment link", n, len(linked))
}

// checkAll runs every consistency check of the load's writes once the follow-up queue
// has drained.
func (s *store) checkAll(l *load) {
	s.t.Helper()
	start := time.Now()
	s.checkPayments(l)
	s.checkRefunds(l)
	s.t.Logf("payments and refunds checked in %s", time.Since(start))
	s.checkLedger()
	s.t.Logf("ledger checked in %s", time.Since(start))
	s.waitQueueDrained(60 * time.Second)
	s.t.Logf("queue drained in %s", time.Since(start))
	s.checkFollowups()
	s.t.Logf("follow-ups checked in %s", time.Since(start))
}
