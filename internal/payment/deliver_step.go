package payment

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// stepKind says what a delivered event not applied yet does to its payment now.
type stepKind int

const (
	// stepWait: an earlier event of the charge (or the refund's record) has not arrived.
	stepWait stepKind = iota
	// stepApply: it moves the payment on.
	stepApply
	// stepFill: a charge.succeeded that arrived after the payment moved on; its amounts are
	// written, its status change is not made again.
	stepFill
	// stepSkip: it arrived after the payment moved past it and changes nothing; it is only
	// marked applied.
	stepSkip
)

// step is what an event does now; refundID names the refund a refund event ends.
type step struct {
	kind     stepKind
	refundID int64
}

// statusSteps lists, for each event that moves a payment's status, the statuses it applies
// from and those from which an event still to come leads there: from those it waits. From
// any other status it is late and changes nothing.
var statusSteps = map[processor.EventType]struct{ from, before []Status }{
	processor.EventChargeSucceeded: {from: []Status{StatusProcessing}},
	processor.EventChargeFailed:    {from: []Status{StatusProcessing}},
	processor.EventDisputeOpened: {from: []Status{StatusSucceeded, StatusPartiallyRefund},
		before: []Status{StatusProcessing, StatusProcessingRefund}},
	processor.EventDisputeClosed: {from: []Status{StatusDisputeNeeds, StatusDisputeReview},
		before: []Status{StatusProcessing, StatusSucceeded, StatusPartiallyRefund, StatusProcessingRefund}},
}

// stepOf decides what e does to p now.
func (s *Service) stepOf(ctx context.Context, tx *sql.Tx, p Payment, e processor.Event) (step, error) {
	if e.Type == processor.EventRefundSucceeded || e.Type == processor.EventRefundFailed {
		return refundStep(ctx, tx, p, e)
	}
	rule := statusSteps[e.Type]
	switch {
	case slices.Contains(rule.from, p.Status):
		return step{kind: stepApply}, nil
	case slices.Contains(rule.before, p.Status):
		return step{kind: stepWait}, nil
	case e.Type == processor.EventChargeSucceeded && p.Status != StatusFailed:
		return step{kind: stepFill}, nil
	}
	return step{kind: stepSkip}, nil
}

// refundStep decides what refund event e does to p: it waits until Settle has recorded the
// refund, ends it when it is still processing and p may take the status that follows, and
// changes nothing once the refund has ended.
func refundStep(ctx context.Context, tx *sql.Tx, p Payment, e processor.Event) (step, error) {
	var id, amount int64
	var status RefundStatus
	err := tx.QueryRowContext(ctx, `SELECT id, amount, status FROM payment_refunds
		WHERE account_id = $1 AND payment_id = $2 AND processor_refund_id = $3`, p.AccountID, p.ID, e.ObjectID).Scan(&id, &amount, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return step{kind: stepWait}, nil
	}
	if err != nil || status != RefundProcessing {
		return step{kind: stepSkip}, err
	}
	refunded, pending, err := refundTotals(ctx, tx, p.AccountID, p.ID)
	pending -= amount
	if e.Type == processor.EventRefundSucceeded {
		refunded += amount
	}
	if err != nil || !CanMove(p.Status, afterRefunds(p.Amount.Minor, refunded, pending)) {
		return step{kind: stepWait}, err
	}
	return step{kind: stepApply, refundID: id}, nil
}

// checkDelivered refuses an event Deliver cannot store and apply, and returns the charge
// it concerns.
func checkDelivered(e processor.NewEvent) (string, error) {
	inv := &problem.InvalidError{Summary: "The processor event was not valid"}
	for _, f := range []struct {
		name    string
		missing bool
	}{{"id", e.ID == ""}, {"account_id", e.AccountID <= 0}, {"object_id", e.ObjectID == ""}, {"created_at", e.CreatedAt.IsZero()}} {
		if f.missing {
			inv.Addf(f.name, "REQUIRED", "The event's %s is required.", f.name)
		}
	}
	if err := inv.OrNil(); err != nil {
		return "", err
	}
	ev, err := e.Event()
	if err != nil {
		return "", problem.Invalid("data", "INVALID_JSON", fmt.Sprintf("The data of event %s is not JSON: %v", e.ID, err))
	}
	return chargeOf(ev)
}

// chargeOf checks e's data and returns the charge e concerns.
func chargeOf(e processor.Event) (string, error) {
	switch e.Type {
	case processor.EventChargeSucceeded, processor.EventChargeFailed, processor.EventChargePending:
		d, err := parseData[chargeData](e)
		if err == nil && e.Type == processor.EventChargeSucceeded {
			err = d.check(e.ID)
		}
		return e.ObjectID, err
	case processor.EventRefundSucceeded, processor.EventRefundFailed:
		d, err := parseData[refundData](e)
		return d.ChargeID, withoutCharge(err, d.ChargeID == "", e.ID)
	case processor.EventDisputeOpened, processor.EventDisputeClosed:
		d, err := parseData[disputeData](e)
		if err == nil {
			err = d.check(e)
		}
		return d.ChargeID, err
	}
	return "", problem.Invalid("type", "INVALID_OPTION",
		fmt.Sprintf("Settle applies charge, refund and dispute events; %q is none of them.", e.Type))
}

// withoutCharge is err, or when there is none and noCharge is set, the error of an event that
// does not name its charge.
func withoutCharge(err error, noCharge bool, id string) error {
	if err == nil && noCharge {
		return problem.Invalid("data.charge_id", "REQUIRED", fmt.Sprintf("Event %s does not name its charge.", id))
	}
	return err
}

// parseData reads e's data as T.
func parseData[T any](e processor.Event) (T, error) {
	var d T
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return d, problem.Invalid("data", "INVALID_DATA", fmt.Sprintf("The data of event %s is not that of a %s: %v", e.ID, e.Type, err))
	}
	return d, nil
}

// check refuses the amounts of a charge.succeeded that cannot be written.
func (d chargeData) check(id string) error {
	_, curErr := money.Currency(d.SettlementCurrency)
	_, rateErr := money.ParseRate(d.Rate)
	switch {
	case curErr != nil:
		return problem.Invalid("data.settlement_currency", "INVALID_CURRENCY",
			fmt.Sprintf("Event %s has no valid settlement currency (%q).", id, d.SettlementCurrency))
	case d.Fee < 0 || d.SettlementAmount < 0:
		return problem.Invalid("data.fee", "INVALID_AMOUNT", fmt.Sprintf("Event %s has a negative fee or settlement amount.", id))
	case d.Rate != "" && rateErr != nil:
		return problem.Invalid("data.rate", "INVALID_RATE", fmt.Sprintf("Event %s has an exchange rate that does not parse (%q).", id, d.Rate))
	}
	return nil
}

// check refuses a dispute event without its charge, amount or outcome.
func (d disputeData) check(e processor.Event) error {
	_, curErr := money.Currency(d.Currency)
	switch {
	case d.ChargeID == "":
		return withoutCharge(nil, true, e.ID)
	case curErr != nil || d.Amount < 0:
		return problem.Invalid("data.amount", "INVALID_AMOUNT", fmt.Sprintf("Event %s has no valid disputed amount.", e.ID))
	case e.Type == processor.EventDisputeClosed && d.Status != "won" && d.Status != "lost":
		return problem.Invalid("data.status", "INVALID_OPTION", fmt.Sprintf("A closed dispute is won or lost, not %q.", d.Status))
	}
	return nil
}
