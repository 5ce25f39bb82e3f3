package faults

import (
	"database/sql"
	"encoding/json"
	"strings"
)

// checkSchedule checks that every row of the schedule has run, each claimed once at its
// first attempt.
func (s *store) checkSchedule() {
	s.t.Helper()
	kinds := map[string]int{}
	s.rows(`SELECT kind, subject, done_at IS NOT NULL, attempts, last_error FROM schedule`, func(r *sql.Rows) error {
		var kind, subject, lastError string
		var done bool
		var attempts int
		err := r.Scan(&kind, &subject, &done, &attempts, &lastError)
		kinds[kind]++
		if !done || attempts != 1 || lastError != "" {
			s.t.Errorf("scheduled %s %s: done %t after %d attempts (%q); want done at the first", kind, subject, done, attempts, lastError)
		}
		return err
	})
	s.t.Logf("scheduled work by kind: %v", kinds)
	if kinds["builtin.debit_settle"] == 0 {
		s.t.Error("no bank debit was scheduled to settle: the load made none")
	}
}

// checkDebits checks that each acknowledged ACH debit settled or failed, as its test
// account says, exactly once in effect: one scheduled settlement, one status change on the
// payment and one timeline entry of it, one charge transaction when it settled and none when
// it failed, every processor event of the charge applied, and the follow-ups of the change.
func (s *store) checkDebits(l *load) {
	s.t.Helper()
	status := s.pairs(`SELECT CAST(id AS TEXT), hs_latest_status FROM crm_payments`)
	settled := s.pairs(`SELECT 'builtin.debit_settle', subject FROM schedule`)
	timeline := s.pairs(`SELECT CAST(object_id AS TEXT), kind FROM crm_activities WHERE object_type = 'commerce_payments'`)
	history := s.statusChanges()
	txs := s.pairs(`SELECT type, source_id FROM balance_transactions WHERE type = 'charge'`)
	unapplied := s.pairs(`SELECT object_id, type FROM processor_events WHERE applied_at IS NULL`)
	ran := s.pairs(`SELECT CAST(payment_id AS TEXT), kind || ':' || event FROM payment_followups`)
	outcomes := map[string]int{}
	for _, a := range l.acks("debit") {
		want := "succeeded"
		if strings.Contains(a.body, achFails) {
			want = "failed"
		}
		outcomes[want]++
		found := map[string]int{
			"status " + want:            status[[2]string{a.id, want}],
			"settlement scheduled":      settled[[2]string{"builtin.debit_settle", a.chargeID}],
			"timeline payment." + want:  timeline[[2]string{a.id, "payment." + want}],
			"status history " + want:    history[[2]string{a.id, want}],
			"workflows payment." + want: ran[[2]string{a.id, "payment_workflows:payment." + want}],
			"charge transaction":        txs[[2]string{"charge", a.chargeID}],
		}
		wants := map[string]int{"charge transaction": 1}
		if want == "failed" {
			wants["charge transaction"] = 0
		}
		for what, n := range found {
			if w, ok := wants[what]; (ok && n != w) || (!ok && n != 1) {
				s.t.Errorf("debit %s (charge %s, %s): %s %d times; found %v", a.id, a.chargeID, want, what, n, found)
				break
			}
		}
	}
	s.t.Logf("debits checked, by outcome: %v", outcomes)
	for k, n := range unapplied {
		s.t.Errorf("%d processor events %s of %s were never applied", n, k[1], k[0])
	}
}

// statusChanges counts the writes that set each payment's hs_latest_status, by payment and
// status, from the records' property history.
func (s *store) statusChanges() map[[2]string]int {
	s.t.Helper()
	out := map[[2]string]int{}
	s.rows(`SELECT CAST(object_id AS TEXT), changes FROM crm_property_changes WHERE object_type = 'commerce_payments'`,
		func(r *sql.Rows) error {
			var id, changes string
			if err := r.Scan(&id, &changes); err != nil {
				return err
			}
			var set map[string]*string
			if err := json.Unmarshal([]byte(changes), &set); err != nil {
				return err
			}
			if v := set["hs_latest_status"]; v != nil {
				out[[2]string{id, *v}]++
			}
			return nil
		})
	return out
}
