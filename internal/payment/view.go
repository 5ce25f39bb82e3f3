package payment

import (
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
)

// The processor types of a payment (hs_processor_type).
const (
	ProcessorSettle     = "hs_payments"
	ProcessorStripe     = "byo_stripe"
	ProcessorNone       = "none"
	ProcessorQuickBooks = "quickbooks"
	ProcessorXero       = "xero"
)

// Payment is a payment record read as money: its amounts in minor units of its currency.
type Payment struct {
	ID        int64
	AccountID int64
	Status    Status
	Processor string
	// ChargeID is the processor's charge (hs_payment_id), empty for external payments.
	ChargeID string
	Method   string
	Amount   money.Amount
	Fee      money.Amount
	Refunded money.Amount
	Email    string
	Type     string
	// InitiatedAt is the payment date.
	InitiatedAt time.Time
	Record      crm.Record
}

// External reports whether the payment was recorded by hand or by an integration rather than
// processed by Settle or Stripe: refunds are then recorded, never sent anywhere.
func (p Payment) External() bool {
	return p.Processor != ProcessorSettle && p.Processor != ProcessorStripe
}

// Remaining is what can still be refunded.
func (p Payment) Remaining() int64 { return p.Amount.Minor - p.Refunded.Minor }

// fromRecord reads a payment record's money. Values were checked when written, so a value
// that does not parse reads as zero.
func fromRecord(accountID int64, r crm.Record) Payment {
	v := r.Values
	cur := v["hs_currency_code"]
	p := Payment{ID: r.ID, AccountID: accountID, Status: Status(v["hs_latest_status"]), Processor: v["hs_processor_type"],
		ChargeID: v["hs_payment_id"], Method: v["hs_payment_method_type"], Email: v["hs_customer_email"],
		Type: v["hs_payment_type"], Record: r}
	p.Amount, p.Fee, p.Refunded = amountOf(v["hs_initial_amount"], cur), amountOf(v["hs_fees_amount"], cur), amountOf(v["hs_refunds_amount"], cur)
	p.InitiatedAt, _ = crm.ParseDatetime(v["hs_initiated_date"])
	if p.Processor == "" {
		p.Processor = ProcessorNone
	}
	return p
}

// amountOf reads a CRM number as an amount of cur, or zero.
func amountOf(value, cur string) money.Amount {
	if value == "" {
		value = "0"
	}
	a, err := money.ParseDecimal(value, cur)
	if err != nil {
		return money.Amount{Currency: cur}
	}
	return a
}

// derived are the properties computed from a payment's amounts (SPEC F21, F24): net of fees
// and refunds — negative when a refunded payment's fee is not returned — and paid after
// refunds.
func derived(p Payment) map[string]string {
	net := p.Amount.Minor - p.Fee.Minor - p.Refunded.Minor
	paid := p.Amount.Minor - p.Refunded.Minor
	cur := p.Amount.Currency
	return map[string]string{
		"hs_net_amount":                               decimal(net, cur),
		"hs_net_amount_after_refunds":                 decimal(paid, cur),
		"hs_max_refundable_amount_in_portal_currency": decimal(max(paid, 0), cur),
	}
}

// decimal writes minor units of cur as the CRM's decimal string.
func decimal(minor int64, cur string) string {
	a := money.Amount{Minor: minor, Currency: cur}
	if minor < 0 {
		a.Minor = -minor
		return "-" + a.Decimal()
	}
	return a.Decimal()
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
