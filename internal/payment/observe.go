package payment

import (
	"context"
	"database/sql"
)

// StatusChange is a payment reaching a status: when it is recorded (Previous is empty) or
// when it moves later, as a bank debit settles or fails or a dispute opens.
type StatusChange struct {
	Payment  Payment
	Previous Status
	// InvoiceID is the invoice the payment is associated with, 0 when none.
	InvoiceID int64
}

// Settled reports whether the change is the payment's money arriving: a charge recorded as
// succeeded, or a processing one that succeeded. A refund that failed, which also returns a
// payment to succeeded, is not.
func (c StatusChange) Settled() bool {
	return c.Payment.Status == StatusSucceeded && (c.Previous == "" || c.Previous == StatusProcessing)
}

// StatusObserver reacts to a status change in the transaction that makes it; an error
// rolls that transaction back.
type StatusObserver func(ctx context.Context, tx *sql.Tx, c StatusChange) error

// FollowupHandler carries out one kind of follow-up of a payment event, in the transaction
// that records it as done: an error rolls both back and the event is tried again later.
type FollowupHandler func(ctx context.Context, tx *sql.Tx, f Followup) error

// OnStatus adds an observer of every payment status change made by processor charges and
// their events (manual payments settle their invoice themselves). Other capabilities react
// to payments through it without payment importing them: the invoice service marks an
// invoice paid when its payment succeeds. The composition root calls it before serving.
func (s *Service) OnStatus(o StatusObserver) { s.observers = append(s.observers, o) }

// HandleFollowup makes h carry out the follow-ups of kind (one of the Kind constants). A
// kind without a handler is only recorded as done. The composition root calls it before
// serving.
func (s *Service) HandleFollowup(kind string, h FollowupHandler) {
	if s.handlers == nil {
		s.handlers = map[string]FollowupHandler{}
	}
	s.handlers[kind] = h
}

// statusChanged tells every observer of c.
func (s *Service) statusChanged(ctx context.Context, tx *sql.Tx, c StatusChange) error {
	for _, o := range s.observers {
		if err := o(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}
