// Package processor is what Settle asks of a payment processor — turn payment details into
// a token, charge it, refund a charge — and the events a processor emits as money moves
// afterwards (a bank debit settles, a dispute opens). Events carry unique ids and are stored,
// so that whoever applies them does so exactly once.
package processor

import (
	"context"
	"time"

	"github.com/settlehq/settle/internal/money"
)

// Processor is a payment processor as Settle uses it: the built-in one or a connected
// Stripe account.
type Processor interface {
	// Tokenize replaces payment details with a payment method; card numbers and CVCs go no
	// further.
	Tokenize(ctx context.Context, p TokenizeParams) (PaymentMethod, error)
	// Charge charges a payment method. A declined card is a failed charge, not an error.
	Charge(ctx context.Context, p ChargeParams) (Charge, error)
	// Pay tokenizes payment details and charges them in one transaction: what a checkout
	// calls.
	Pay(ctx context.Context, p PayParams) (Charge, error)
	// Refund gives back some or all of a succeeded charge.
	Refund(ctx context.Context, p RefundParams) (Refund, error)
	// Events lists an account's events after a sequence number, oldest first.
	Events(ctx context.Context, p EventsParams) ([]Event, error)
}

// Method is a kind of payment method, which is also the rail its money moves on.
type Method string

// The payment methods.
const (
	MethodCard Method = "card"
	MethodACH  Method = "ach"
	MethodBACS Method = "bacs"
	MethodPAD  Method = "pad"
	MethodSEPA Method = "sepa"
)

// Methods lists every payment method.
func Methods() []Method { return []Method{MethodCard, MethodACH, MethodBACS, MethodPAD, MethodSEPA} }

// TokenizeParams are the payment details a buyer typed, exactly one of the method fields set.
type TokenizeParams struct {
	AccountID int64
	Card      *CardDetails
	ACH       *ACHDetails
	SEPA      *SEPADetails
	BACS      *BACSDetails
	PAD       *PADDetails
}

// CardDetails are a card as typed at checkout.
type CardDetails struct {
	Number   string
	ExpMonth int
	ExpYear  int
	CVC      string
}

// ACHDetails are a US bank account.
type ACHDetails struct {
	RoutingNumber string
	AccountNumber string
	AccountHolder string
}

// SEPADetails are a bank account in the SEPA area.
type SEPADetails struct {
	IBAN          string
	AccountHolder string
}

// BACSDetails are a UK bank account.
type BACSDetails struct {
	SortCode      string
	AccountNumber string
	AccountHolder string
}

// PADDetails are a Canadian bank account.
type PADDetails struct {
	TransitNumber     string
	InstitutionNumber string
	AccountNumber     string
	AccountHolder     string
}

// PaymentMethod is a token and what may be shown of it: never a full number nor a CVC.
type PaymentMethod struct {
	ID        string
	AccountID int64
	Method    Method
	// Brand is the card network (visa, mastercard, amex, discover), empty for banks.
	Brand    string
	Last4    string
	ExpMonth int
	ExpYear  int
	// BankCode is the routing number, sort code, transit and institution or IBAN country
	// and bank code: public identifiers of the bank, not of the account.
	BankCode string
	// Fingerprint is the same for the same card or account within an account of Settle,
	// and reveals nothing of the number.
	Fingerprint string
	CreatedAt   time.Time
}

// ChargeStatus is where a charge stands.
type ChargeStatus string

// The statuses of a charge. Bank debits are processing until they settle or fail.
const (
	ChargeSucceeded  ChargeStatus = "succeeded"
	ChargeProcessing ChargeStatus = "processing"
	ChargeFailed     ChargeStatus = "failed"
)

// ChargeParams are what to charge.
type ChargeParams struct {
	AccountID       int64
	PaymentMethodID string
	Amount          money.Amount
	Description     string
}

// Charge is a charge as the processor reports it.
type Charge struct {
	ID              string
	AccountID       int64
	PaymentMethodID string
	Method          Method
	// Amount is what the buyer was charged, in the currency they were charged in.
	Amount money.Amount
	Status ChargeStatus
	// FailureCode says why a charge failed: generic_decline, insufficient_funds…
	FailureCode string
	// Settlement is Amount in the account's settlement currency, Fee the processor's fee in
	// it, and Rate the exchange rate applied (zero when the currencies are the same).
	Settlement money.Amount
	Fee        money.Amount
	Rate       money.Rate
	// AvailableOn is the date the funds become available (for bank debits, once settled).
	AvailableOn   time.Time
	TransactionID int64
	CreatedAt     time.Time
}

// PayParams are a payment as a checkout takes it: a decimal amount as typed, its currency
// and the buyer's payment details.
type PayParams struct {
	AccountID int64
	// Amount is a decimal string in Currency, such as "49.99".
	Amount      string
	Currency    string
	Method      TokenizeParams
	Description string
}

// RefundReason is why a refund was made.
type RefundReason string

// The refund reasons of API.md.
const (
	ReasonRequestedByCustomer RefundReason = "requested_by_customer"
	ReasonDuplicate           RefundReason = "duplicate"
	ReasonFraudulent          RefundReason = "fraudulent"
	ReasonOther               RefundReason = "other"
)

// RefundParams are what to refund.
type RefundParams struct {
	AccountID int64
	ChargeID  string
	Amount    money.Amount
	Reason    RefundReason
}

// RefundStatus is where a refund stands; bank refunds take business days.
type RefundStatus string

// The statuses of a refund.
const (
	RefundProcessing RefundStatus = "processing"
	RefundSucceeded  RefundStatus = "succeeded"
	RefundFailed     RefundStatus = "failed"
)

// Refund is a refund as the processor reports it.
type Refund struct {
	ID        string
	AccountID int64
	ChargeID  string
	Amount    money.Amount
	Reason    RefundReason
	Status    RefundStatus
	CreatedAt time.Time
}

// EventsParams select an account's events.
type EventsParams struct {
	AccountID int64
	// After is the sequence number of the last event already read; 0 reads from the start.
	After int64
	Limit int
}
