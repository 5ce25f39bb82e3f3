package payment

import (
	"context"
	"database/sql"

	"github.com/settlehq/settle/internal/crm"
)

// announce writes an event of p on the timelines of the payment and of its contact, deal and
// company (SPEC F15), and queues its follow-ups.
func (s *Service) announce(ctx context.Context, tx *sql.Tx, p Payment, rel related, ev Event) error {
	data := map[string]any{"payment_id": idString(p.ID), "amount": p.Amount.Decimal(), "currency": p.Amount.Currency,
		"status": string(p.Status)}
	targets := []struct {
		typ string
		id  int64
	}{{Type, p.ID}, {"contacts", rel.contact}, {"deals", rel.deal}, {"companies", rel.company}}
	now := s.clocks.Base().Now()
	var acts []crm.Activity
	for _, t := range targets {
		if t.id != 0 {
			acts = append(acts, crm.Activity{AccountID: p.AccountID, ObjectType: t.typ, ObjectID: t.id,
				Kind: string(ev), OccurredAt: now, Source: settle(), Data: data})
		}
	}
	if err := s.crm.AppendActivity(ctx, tx, acts...); err != nil {
		return err
	}
	return s.followups(ctx, tx, p, ev)
}

// relatedOf reads the records a payment is associated with.
func (s *Service) relatedOf(ctx context.Context, p Payment) (related, error) {
	rel := related{}
	dst := map[string]*int64{"contacts": &rel.contact, "deals": &rel.deal, "companies": &rel.company,
		"invoices": &rel.invoice, "subscriptions": &rel.subscription}
	ids, err := s.crm.LinkedIDs(ctx, p.AccountID, Type, p.ID, []string{"contacts", "deals", "companies", "invoices", "subscriptions"})
	for typ, linked := range ids {
		if len(linked) > 0 {
			*dst[typ] = linked[0]
		}
	}
	return rel, err
}

// markEventsOf marks applied the events an object (a charge, a refund) emitted before Settle
// recorded it: the record was written with what they say.
func (s *Service) markEventsOf(ctx context.Context, tx *sql.Tx, accountID int64, objectID string) error {
	s.db.LaterExec(tx, `UPDATE processor_events SET applied_at = $3
		WHERE account_id = $1 AND object_id = $2 AND applied_at IS NULL`, accountID, objectID, s.clocks.Base().Now().UTC())
	return nil
}
