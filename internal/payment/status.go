package payment

import (
	"fmt"
	"slices"

	"github.com/settlehq/settle/internal/problem"
)

// Status is where a payment stands (hs_latest_status).
type Status string

// The statuses of a payment (SPEC F21, F33).
const (
	StatusProcessing       Status = "processing"
	StatusSucceeded        Status = "succeeded"
	StatusFailed           Status = "failed"
	StatusPartiallyRefund  Status = "partially_refunded"
	StatusRefunded         Status = "refunded"
	StatusProcessingRefund Status = "processing_refund"
	StatusDisputeNeeds     Status = "disputed_action_required"
	StatusDisputeReview    Status = "disputed_awaiting_decision"
	StatusDisputeWon       Status = "disputed_won"
	StatusDisputeLost      Status = "disputed_lost"
)

// transitions lists, for each status, the statuses a payment may move to. Anything else is
// refused: a failed payment cannot be refunded, a refunded one cannot be disputed, a lost
// dispute is final.
var transitions = map[Status][]Status{
	StatusProcessing:       {StatusSucceeded, StatusFailed},
	StatusSucceeded:        {StatusPartiallyRefund, StatusRefunded, StatusProcessingRefund, StatusDisputeNeeds},
	StatusPartiallyRefund:  {StatusPartiallyRefund, StatusRefunded, StatusProcessingRefund, StatusDisputeNeeds},
	StatusProcessingRefund: {StatusSucceeded, StatusPartiallyRefund, StatusRefunded, StatusProcessingRefund},
	StatusDisputeNeeds:     {StatusDisputeReview, StatusDisputeWon, StatusDisputeLost},
	StatusDisputeReview:    {StatusDisputeWon, StatusDisputeLost},
	StatusDisputeWon:       {},
	StatusFailed:           {},
	StatusRefunded:         {},
	StatusDisputeLost:      {},
}

// CanMove reports whether a payment may go from one status to another.
func CanMove(from, to Status) bool {
	return from == to || slices.Contains(transitions[from], to)
}

// checkMove refuses an illegal change of status.
func checkMove(from, to Status) error {
	if _, known := transitions[to]; !known {
		return problem.Invalid("hs_latest_status", "INVALID_OPTION", fmt.Sprintf("%q is not a payment status.", to))
	}
	if !CanMove(from, to) {
		return problem.Invalid("hs_latest_status", "INVALID_TRANSITION",
			fmt.Sprintf("A payment cannot go from %s to %s.", from, to))
	}
	return nil
}

// refundable reports whether a payment in status s may be refunded.
func refundable(s Status) bool {
	return s == StatusSucceeded || s == StatusPartiallyRefund
}

// afterRefunds is the status of a payment that was refundable, once refunds total refunded
// out of gross and pending is still being processed.
func afterRefunds(gross, refunded, pending int64) Status {
	switch {
	case pending > 0:
		return StatusProcessingRefund
	case refunded >= gross:
		return StatusRefunded
	case refunded > 0:
		return StatusPartiallyRefund
	}
	return StatusSucceeded
}
