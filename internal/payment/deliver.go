package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// ErrUnknownCharge is an event about a charge Settle has not recorded. Deliver refuses it
// and stores nothing: the processor delivers it again later (connected processors retry
// what was not acknowledged), by when the charge's payment is recorded. Keeping it instead
// would make every recording of a charge look for events waiting for it. It also wraps
// problem.ErrNotFound.
var ErrUnknownCharge = errors.New("no payment records this charge")

// Delivery is what one Deliver did.
type Delivery struct {
	// Duplicate is set when an event with the same id was delivered before: storing it
	// again did nothing.
	Duplicate bool
	// Applied lists the events of the charge that were marked applied, in the order they
	// were: the delivered one and those it unblocked.
	Applied []string
	// Held lists the events of the charge that still wait for an earlier one.
	Held []string
}

// Deliver takes a processor event arriving from outside the transaction that made it — a
// connected processor's webhook, delivered at least once and in any order — and, in one
// transaction, stores it (an id delivered before is a no-op) and applies every event of
// its charge that can now be applied, in the order the processor made them (see
// applyPending). An event whose predecessor has not arrived is held until it does; one that
// arrives after the payment has moved past it is marked applied without effect. Malformed
// events are refused with a *problem.InvalidError and events about a charge Settle has not
// recorded with ErrUnknownCharge; neither writes anything.
func (s *Service) Deliver(ctx context.Context, e processor.NewEvent) (Delivery, error) {
	chargeID, err := checkDelivered(e)
	if err != nil {
		return Delivery{}, err
	}
	var out Delivery
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		p, err := s.lockCharge(ctx, tx, e.AccountID, chargeID)
		if err != nil {
			return err
		}
		stored, err := processor.Store(ctx, tx, chargeID, e)
		if err != nil {
			return err
		}
		waiting, err := processor.Pending(ctx, tx, p.AccountID, chargeID)
		if err != nil {
			return err
		}
		out, err = s.applyPending(ctx, tx, p, waiting)
		out.Duplicate = !stored
		return err
	})
	return out, err
}

// lockCharge reads and locks the payment of an account's charge, so that the events of
// one charge are applied one delivery at a time.
func (s *Service) lockCharge(ctx context.Context, tx *sql.Tx, accountID int64, chargeID string) (Payment, error) {
	id, err := s.paymentOfCharge(ctx, tx, accountID, chargeID)
	if errors.Is(err, sql.ErrNoRows) {
		return Payment{}, fmt.Errorf("charge %s of account %d: %w: %w", chargeID, accountID, ErrUnknownCharge, problem.ErrNotFound)
	}
	if err != nil {
		return Payment{}, err
	}
	rec, err := s.crm.LockRecord(ctx, tx, accountID, Type, id)
	return fromRecord(accountID, rec), err
}

// applyPending applies waiting, the delivered events of p's charge not applied yet in the
// order the processor made them (processor.Pending), until none of those left can be:
// after each one that is applied, it looks again from the earliest still waiting, which
// the change may have unblocked.
func (s *Service) applyPending(ctx context.Context, tx *sql.Tx, p Payment, waiting []processor.Event) (Delivery, error) {
	var out Delivery
	for {
		i, st, err := s.firstReady(ctx, tx, p, waiting)
		if err != nil || i < 0 {
			for _, e := range waiting {
				out.Held = append(out.Held, e.ID)
			}
			return out, err
		}
		if p, err = s.take(ctx, tx, p, waiting[i], st); err != nil {
			return out, err
		}
		out.Applied = append(out.Applied, waiting[i].ID)
		waiting = slices.Delete(waiting, i, i+1)
	}
}

// firstReady returns the index of the first of waiting that need not wait any longer, and
// what it does to p; -1 when all must.
func (s *Service) firstReady(ctx context.Context, tx *sql.Tx, p Payment, waiting []processor.Event) (int, step, error) {
	for i, e := range waiting {
		st, err := s.stepOf(ctx, tx, p, e)
		if err != nil || st.kind != stepWait {
			return i, st, err
		}
	}
	return -1, step{}, nil
}

// take marks e applied and does what st says, returning p as it then is.
func (s *Service) take(ctx context.Context, tx *sql.Tx, p Payment, e processor.Event, st step) (Payment, error) {
	first, err := processor.MarkApplied(ctx, tx, p.AccountID, e.ID, s.clocks.Base().Now())
	if err != nil || !first || st.kind == stepSkip {
		return p, err
	}
	if err := s.effect(ctx, tx, p, e, st); err != nil {
		return p, fmt.Errorf("event %s: %w", e.ID, err)
	}
	rec, err := s.crm.LockRecord(ctx, tx, p.AccountID, Type, p.ID)
	return fromRecord(p.AccountID, rec), err
}

// effect changes p as e says.
func (s *Service) effect(ctx context.Context, tx *sql.Tx, p Payment, e processor.Event, st step) error {
	switch {
	case st.kind == stepFill:
		return s.fillCharge(ctx, p, e)
	case st.refundID != 0:
		return s.applyRefund(ctx, tx, p, st.refundID, e)
	case e.Type == processor.EventDisputeOpened || e.Type == processor.EventDisputeClosed:
		d, err := parseData[disputeData](e)
		if err != nil {
			return err
		}
		return s.applyDispute(ctx, tx, p, d, e)
	}
	return s.applyCharge(ctx, tx, p, e)
}

// fillCharge writes the fee and settlement amounts of a charge.succeeded that arrived after
// p had moved on, without moving p again: its status change was already made.
func (s *Service) fillCharge(ctx context.Context, p Payment, e processor.Event) error {
	d, err := parseData[chargeData](e)
	if err != nil {
		return err
	}
	props := settledProperties(p, d)
	if p.Record.Values["hs_processed_date"] == "" {
		props["hs_processed_date"] = crm.FormatDatetime(e.CreatedAt)
	}
	_, err = s.crm.SetProperties(ctx, p.AccountID, Type, p.ID, props, settle())
	return err
}
