package invoice

import (
	"fmt"
	"slices"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// Status is where an invoice stands (hs_invoice_status).
type Status string

// The statuses of an invoice. A new invoice is a draft; an invoice whose status was never
// set (one written by Settle itself) counts as a draft too.
const (
	StatusDraft         Status = "draft"
	StatusOpen          Status = "open"
	StatusPaid          Status = "paid"
	StatusVoid          Status = "voided"
	StatusUncollectible Status = "uncollectible"
)

// transitions lists, for each status, the statuses an invoice may move to: a draft is
// finalized (open); an open invoice is paid, voided or marked uncollectible; the others are
// final. Payments move an open invoice to paid; this package makes every other move.
var transitions = map[Status][]Status{
	StatusDraft:         {StatusOpen},
	StatusOpen:          {StatusPaid, StatusVoid, StatusUncollectible},
	StatusPaid:          {},
	StatusVoid:          {},
	StatusUncollectible: {},
}

// CanMove reports whether an invoice may go from one status to another.
func CanMove(from, to Status) bool {
	return slices.Contains(transitions[from], to)
}

// statusOf is the status of an invoice's record.
func statusOf(rec crm.Record) Status {
	if v := rec.Values["hs_invoice_status"]; v != "" {
		return Status(v)
	}
	return StatusDraft
}

// actions names what each move is called, for messages.
var actions = map[Status]string{
	StatusOpen: "finalized", StatusPaid: "paid", StatusVoid: "voided", StatusUncollectible: "marked uncollectible",
}

// checkMove refuses an illegal change of an invoice's status.
func checkMove(rec crm.Record, to Status) error {
	from := statusOf(rec)
	if CanMove(from, to) {
		return nil
	}
	allowed := "an open invoice"
	if to == StatusOpen {
		allowed = "a draft"
	}
	return problem.Invalid("status", "INVALID_TRANSITION",
		fmt.Sprintf("%s is %s: only %s can be %s.", describe(rec), from, allowed, actions[to]))
}
