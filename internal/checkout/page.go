package checkout

import (
	"context"
	"errors"

	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// LinkPayment reads a payment made through a link: one of the link's account whose source
// is that link. Any other payment, of the account or not, is problem.ErrNotFound, so that a
// buyer page showing a payment can never be turned into a window on another.
func (s *Service) LinkPayment(ctx context.Context, l Link, paymentID int64) (payment.Payment, error) {
	p, err := s.payments.Get(ctx, l.AccountID, paymentID)
	if errors.Is(err, problem.ErrNotFound) {
		return payment.Payment{}, problem.NotFound("payment %d of payment link %q", paymentID, l.Slug)
	}
	if err != nil {
		return payment.Payment{}, err
	}
	v := p.Record.Values
	if v["hs_payment_source_app"] != "SALES_CHECKOUT" || v["hs_payment_source_id"] != itoa(l.ID) {
		return payment.Payment{}, problem.NotFound("payment %d of payment link %q", paymentID, l.Slug)
	}
	return p, nil
}
