package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/calendar"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// NewTransaction is what Record needs. The ledger computes the rest: the settlement amount
// at Rate, the fee in the payment currency and both nets.
type NewTransaction struct {
	AccountID int64
	Type      Type
	// SourceID names what caused it: a charge, refund, dispute or payout id.
	SourceID string
	// Amount is signed from the balance's view, in the payment currency.
	Amount money.Amount
	// SettlementCurrency is the balance's currency; empty means Amount's.
	SettlementCurrency string
	// Rate converts Amount to SettlementCurrency; needed only when they differ.
	Rate money.Rate
	// SettlementFee is the processor's fee, in minor units of the settlement currency.
	SettlementFee int64
	// AvailableOn is the date the funds become available.
	AvailableOn time.Time
	// Hold keeps the net in processor:pending until Release moves it to processor:available.
	Hold      bool
	CreatedAt time.Time
}

// Record writes a balance transaction and its balanced postings in tx.
func (l *Ledger) Record(ctx context.Context, tx *sql.Tx, n NewTransaction) (Transaction, error) {
	t, err := n.build()
	if err != nil {
		return Transaction{}, err
	}
	t.ID, err = l.write(ctx, tx, t, expectedCreate(t))
	return t, err
}

// build validates n and computes the transaction it describes.
func (n NewTransaction) build() (Transaction, error) {
	inv := &problem.InvalidError{}
	r, ok := rules[n.Type]
	if !ok {
		inv.Addf("type", "INVALID_OPTION", "%q is not a balance transaction type.", n.Type)
	}
	if _, err := money.Currency(n.Amount.Currency); err != nil {
		inv.Add("currency", "INVALID_CURRENCY", err.Error())
	}
	if ok && r.sign != 0 && (n.Amount.Minor == 0 || (n.Amount.Minor > 0) != (r.sign > 0)) {
		inv.Addf("amount", "INVALID_SIGN", "A %s moves %s: its amount cannot be %d.", n.Type, signWord(r.sign), n.Amount.Minor)
	}
	if n.SettlementFee < 0 {
		inv.Add("fee", "NEGATIVE", "A fee cannot be negative.")
	}
	if err := inv.OrNil(); err != nil {
		return Transaction{}, err
	}
	return n.settle()
}

func signWord(sign int) string {
	if sign > 0 {
		return "money into the balance"
	}
	return "money out of the balance"
}

// settle converts the amount to the settlement currency and splits fee and net.
func (n NewTransaction) settle() (Transaction, error) {
	t := Transaction{AccountID: n.AccountID, Type: n.Type, SourceID: n.SourceID, Currency: n.Amount.Currency,
		Amount: n.Amount.Minor, SettlementCurrency: strings.ToUpper(n.SettlementCurrency), SettlementFee: n.SettlementFee,
		AvailableOn: calendar.Date(n.AvailableOn), Held: n.Hold, CreatedAt: n.CreatedAt.UTC()}
	if t.SettlementCurrency == "" {
		t.SettlementCurrency = t.Currency
	}
	amounts, err := convertAmounts(n.Amount, t.SettlementCurrency, n.Rate, n.SettlementFee)
	if err != nil {
		return Transaction{}, err
	}
	t.SettlementAmount, t.Fee, t.Rate = amounts.settlementAmount, amounts.fee, amounts.rate
	t.Net, t.SettlementNet = t.Amount-t.Fee, t.SettlementAmount-t.SettlementFee
	return t, nil
}

type converted struct {
	settlementAmount, fee int64
	rate                  string
}

// convertAmounts returns the settlement amount of amount and the fee in amount's currency.
// Both Record and Verify use it, so they cannot disagree on a rounding.
func convertAmounts(amount money.Amount, settlement string, rate money.Rate, settlementFee int64) (converted, error) {
	if settlement == amount.Currency {
		return converted{settlementAmount: amount.Minor, fee: settlementFee}, nil
	}
	if rate.IsZero() {
		return converted{}, problem.Invalid("rate", "REQUIRED",
			fmt.Sprintf("Converting %s to %s needs an exchange rate.", amount.Currency, settlement))
	}
	s, err := money.Convert(amount, settlement, rate)
	if err != nil {
		return converted{}, err
	}
	fee, err := money.ConvertBack(money.Amount{Minor: settlementFee, Currency: settlement}, amount.Currency, rate)
	if err != nil {
		return converted{}, err
	}
	return converted{settlementAmount: s.Minor, fee: fee.Minor, rate: rate.String()}, nil
}

// expectedCreate returns the postings written with t: the counter account gives the amount,
// the fee goes to fees and the net to the balance, through fx when currencies differ.
func expectedCreate(t Transaction) []posting {
	bucket := Available
	if t.Held {
		bucket = Pending
	}
	counter := rules[t.Type].counter
	var ps []posting
	if t.Currency == t.SettlementCurrency {
		ps = addPosting(ps, posting{entryCreate, counter, t.Currency, -t.Amount})
	} else {
		ps = addPosting(ps, posting{entryCreate, counter, t.Currency, -t.Amount})
		ps = addPosting(ps, posting{entryCreate, FX, t.Currency, t.Amount})
		ps = addPosting(ps, posting{entryCreate, FX, t.SettlementCurrency, -t.SettlementAmount})
	}
	ps = addPosting(ps, posting{entryCreate, Fees, t.SettlementCurrency, t.SettlementFee})
	return addPosting(ps, posting{entryCreate, bucket, t.SettlementCurrency, t.SettlementNet})
}

// expectedRelease returns the postings that make t's held net available.
func expectedRelease(t Transaction) []posting {
	return []posting{
		{entryRelease, Pending, t.SettlementCurrency, -t.SettlementNet},
		{entryRelease, Available, t.SettlementCurrency, t.SettlementNet},
	}
}

// addPosting appends p, merging it into a posting of the same entry, account and currency,
// and leaving out zeros.
func addPosting(ps []posting, p posting) []posting {
	for i := range ps {
		if ps[i].entry == p.entry && ps[i].account == p.account && ps[i].currency == p.currency {
			ps[i].amount += p.amount
			if ps[i].amount == 0 {
				return append(ps[:i], ps[i+1:]...)
			}
			return ps
		}
	}
	if p.amount == 0 {
		return ps
	}
	return append(ps, p)
}
