package builtin

import (
	"context"
	"database/sql"
	"errors"

	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// Pay reads the amount, tokenizes the payment details and charges them, in one transaction:
// what a checkout calls. Bad input — a malformed amount, too many decimals, an unknown currency, invalid
// payment details — is refused before anything is written.
func (p *Processor) Pay(ctx context.Context, pp processor.PayParams) (processor.Charge, error) {
	amount, err := ParseAmount(pp.Amount, pp.Currency)
	if err != nil {
		return processor.Charge{}, err
	}
	pp.Method.AccountID = pp.AccountID
	var c processor.Charge
	err = p.db.InTx(ctx, func(tx *sql.Tx) error {
		m, err := p.loadMerchant(ctx, tx, pp.AccountID)
		if err != nil {
			return err
		}
		pm, err := p.tokenize(ctx, tx, m, pp.Method)
		if err != nil {
			return err
		}
		c, err = p.chargeMethod(ctx, tx, m, pm, amount, pp.Description)
		return err
	})
	return c, err
}

// ParseAmount reads a decimal amount as an invalid-input error names it: field amount or
// currency, with a code a client can act on.
func ParseAmount(s, currency string) (money.Amount, error) {
	a, err := money.ParseDecimal(s, currency)
	switch {
	case err == nil && a.Minor == 0:
		return money.Amount{}, problem.Invalid("amount", "INVALID_AMOUNT", "The amount must be above zero.")
	case err == nil:
		return a, nil
	case errors.Is(err, money.ErrUnknownCurrency):
		return money.Amount{}, problem.Invalid("currency", "INVALID_CURRENCY", err.Error())
	case errors.Is(err, money.ErrTooPrecise):
		return money.Amount{}, problem.Invalid("amount", "TOO_MANY_DECIMALS", err.Error())
	case errors.Is(err, money.ErrNegative):
		return money.Amount{}, problem.Invalid("amount", "NEGATIVE_AMOUNT", err.Error())
	}
	return money.Amount{}, problem.Invalid("amount", "INVALID_AMOUNT", err.Error())
}
