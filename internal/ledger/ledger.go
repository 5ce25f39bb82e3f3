// Package ledger keeps every movement of an account's processor balance as a balance
// transaction (charge, fee, refund, dispute, payout…) and, beneath it, balanced
// double-entry postings. Postings are append-only and a balance is the sum of its
// postings: no row is updated by every payment, so writes never queue behind one another.
// Every function writes in the caller's transaction, so a payment and its money movements
// commit or roll back together. Verify proves the invariants over the whole ledger.
package ledger

import (
	"errors"
	"time"
)

// Type is the kind of a balance transaction.
type Type string

// The kinds of balance transaction. The sign of the amount is the balance's view: a charge
// adds to it, a refund or a dispute withdrawal takes from it.
const (
	TypeCharge            Type = "charge"
	TypeFee               Type = "fee"
	TypeRefund            Type = "refund"
	TypeRefundFailure     Type = "refund_failure"
	TypeDisputeWithdrawal Type = "dispute_withdrawal"
	TypeDisputeFee        Type = "dispute_fee"
	TypeDisputeReversal   Type = "dispute_reversal"
	TypePayout            Type = "payout"
	TypePayoutDebit       Type = "payout_debit"
	TypeAdjustment        Type = "adjustment"
)

// Account is a ledger account postings move money between.
type Account string

// The ledger accounts. The processor accounts hold the merchant's balance; the others are
// where money comes from or goes to.
const (
	Pending     Account = "processor:pending"
	Available   Account = "processor:available"
	Charges     Account = "charges"
	Fees        Account = "fees"
	Refunds     Account = "refunds"
	Disputes    Account = "disputes"
	Bank        Account = "bank"
	Adjustments Account = "adjustments"
	// FX converts between the payment currency and the settlement currency.
	FX Account = "fx"
)

// Entries group a transaction's postings: those written with it, and those that release its
// held funds when they become available.
const (
	entryCreate  = "create"
	entryRelease = "release"
)

// rule says, for each type, where its amount comes from and which sign it must have.
type rule struct {
	counter Account
	sign    int // +1: amount > 0, -1: amount < 0
}

var rules = map[Type]rule{
	TypeCharge:            {Charges, +1},
	TypeFee:               {Fees, -1},
	TypeRefund:            {Refunds, -1},
	TypeRefundFailure:     {Refunds, +1},
	TypeDisputeWithdrawal: {Disputes, -1},
	TypeDisputeFee:        {Fees, -1},
	TypeDisputeReversal:   {Disputes, +1},
	TypePayout:            {Bank, -1},
	TypePayoutDebit:       {Bank, +1},
	TypeAdjustment:        {Adjustments, 0},
}

// Types lists every type of balance transaction.
func Types() []Type {
	return []Type{TypeCharge, TypeFee, TypeRefund, TypeRefundFailure, TypeDisputeWithdrawal, TypeDisputeFee,
		TypeDisputeReversal, TypePayout, TypePayoutDebit, TypeAdjustment}
}

// Errors the ledger returns.
var (
	// ErrNothingToPay means a payout found no available, unpaid balance transaction.
	ErrNothingToPay = errors.New("nothing to pay out")
)

// Transaction is a balance transaction. Amount, Fee and Net are in the payment currency;
// the Settlement fields are the same in the currency the balance is kept in, converted at
// Rate (empty when the currencies are the same).
type Transaction struct {
	ID                 int64
	AccountID          int64
	Type               Type
	SourceID           string
	PayoutID           int64
	Currency           string
	Amount             int64
	Fee                int64
	Net                int64
	SettlementCurrency string
	SettlementAmount   int64
	SettlementFee      int64
	SettlementNet      int64
	Rate               string
	AvailableOn        time.Time
	// Held is set when the net was held in processor:pending until AvailableOn.
	Held      bool
	CreatedAt time.Time
}

// posting is one line of a transaction: an amount on a ledger account, in a currency.
type posting struct {
	entry    string
	account  Account
	currency string
	amount   int64
}
