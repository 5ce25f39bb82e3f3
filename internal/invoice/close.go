package invoice

import (
	"context"
	"database/sql"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// Void cancels an open invoice: it stays, with its number, but nothing is due on it any
// more. A paid invoice cannot be voided, nor one with a payment recorded on it (refund or
// settle that first), nor a draft, which is simply changed or archived.
func (s *Service) Void(ctx context.Context, accountID, id int64) (Invoice, error) {
	return s.close(ctx, accountID, id, StatusVoid, func(inv crm.Record) (map[string]string, error) {
		if paid := amountOf(inv.Values["hs_amount_paid"], inv.Values["hs_currency"]); paid.Minor > 0 {
			return nil, problem.Invalid("status", "PARTIALLY_PAID",
				describe(inv)+" has "+paid.String()+" paid on it: an invoice with payments cannot be voided.")
		}
		return map[string]string{"hs_invoice_status": string(StatusVoid), "hs_balance_due": "0"}, nil
	})
}

// MarkUncollectible records that an open invoice will not be paid. Its balance stays due,
// for the record; it takes no more payments.
func (s *Service) MarkUncollectible(ctx context.Context, accountID, id int64) (Invoice, error) {
	return s.close(ctx, accountID, id, StatusUncollectible, func(crm.Record) (map[string]string, error) {
		return map[string]string{"hs_invoice_status": string(StatusUncollectible)}, nil
	})
}

// close moves an invoice to status to, locked for the transaction, writing what props says.
func (s *Service) close(ctx context.Context, accountID, id int64, to Status, props func(crm.Record) (map[string]string, error)) (Invoice, error) {
	var out Invoice
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := s.crm.LockRecord(ctx, tx, accountID, Type, id)
		if err != nil {
			return err
		}
		if err := checkMove(inv, to); err != nil {
			return err
		}
		p, err := props(inv)
		if err != nil {
			return err
		}
		rec, err := s.crm.SetProperties(ctx, accountID, Type, id, p, source())
		out = fromRecord(accountID, rec)
		return err
	})
	return out, err
}
