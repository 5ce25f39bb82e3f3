package demo

import (
	"time"

	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/processor"
)

// way is how a payment is made.
type way int

const (
	// byLink is a buyer paying a payment link (a deal, line items, maybe a subscription).
	byLink way = iota
	// byAPI is a charge made through the payments API.
	byAPI
	// byIntegration is a payment an accounting integration records through the CRM API.
	byIntegration
	// byInvoice is a buyer paying an open invoice from its page.
	byInvoice
)

// plan is one payment before it is made: everything random about it is drawn up front.
type plan struct {
	at       time.Time
	way      way
	buyer    buyer
	offer    *offer
	quantity *int64
	amount   money.Amount // byAPI, byIntegration and byInvoice
	method   processor.TokenizeParams
	billing  payment.Address
	// integration is quickbooks or xero; failed marks an integration payment that failed.
	integration string
	failed      bool
	// invoiceToken is the pay token of the invoice a byInvoice plan pays, once opened.
	invoiceToken string
	// disputed and failing mark a dispute card and a bank account whose debit fails.
	disputed, failing bool
	// expenses adds a line of travel expenses to the invoice of a byInvoice plan.
	expenses bool
	// refund is given back soon after, when the payment is a succeeded card payment.
	refund *refundPlan
}

// planBatch draws payments [from, from+n) and the invoices sent meanwhile that are never
// paid, one for every unpaidEvery payments.
func (f *filler) planBatch(from, n int) batch {
	b := batch{from: from, plans: make([]plan, n)}
	for i := range b.plans {
		b.plans[i] = f.plan(from + i)
	}
	for range n / unpaidEvery {
		b.unpaid = append(b.unpaid, plan{way: byInvoice, buyer: f.buyers[f.rng.IntN(len(f.buyers))], amount: f.amount("USD"),
			expenses: f.rng.IntN(3) == 0})
	}
	return b
}

// at is the time of the ith payment: spread evenly over the period, a little jitter.
func (f *filler) at(i int) time.Time {
	span := f.end.Sub(f.start)
	step := span / time.Duration(f.opts.Payments+1)
	jitter := time.Duration(f.rng.Int64N(int64(max(step, 1))))
	return f.start.Add(step*time.Duration(i) + jitter).Truncate(time.Second)
}

// refundReasons are the reasons refunds are given for, the common one most often.
var refundReasons = []string{"requested_by_customer", "requested_by_customer", "requested_by_customer", "duplicate", "other"}

// refundPlan is a refund of percent of a payment, for reason.
type refundPlan struct {
	percent int64
	reason  string
}

// of is the refund of p.
func (r refundPlan) of(p payment.Payment) payment.RefundInput {
	return payment.RefundInput{Amount: max(1, p.Amount.Minor*r.percent/100), Reason: r.reason}
}

// refundOf draws whether a payment is refunded, about one in fourteen, most of them in
// full.
func (f *filler) refundOf() *refundPlan {
	if f.rng.IntN(14) != 0 {
		return nil
	}
	r := refundPlan{percent: 100}
	if f.rng.IntN(3) == 0 {
		r.percent = int64(10 + f.rng.IntN(80))
	}
	r.reason = refundReasons[f.rng.IntN(len(refundReasons))]
	return &r
}

// plan draws the ith payment.
func (f *filler) plan(i int) plan {
	p := plan{at: f.at(i), buyer: f.buyers[f.rng.IntN(len(f.buyers))]}
	switch r := f.rng.IntN(100); {
	case r < 55:
		p.way, p.offer = byLink, f.catalog.pick(f.rng.IntN(f.catalog.total))
		p.amount.Currency = p.offer.link.Currency
		if p.offer.input.AllowQuantity && f.rng.IntN(4) == 0 {
			q := int64(2 + f.rng.IntN(4))
			p.quantity = &q
		}
	case r < 80:
		p.way, p.amount = byAPI, f.amount(currencies[weighted(f.rng.IntN(100), 60, 20, 12)])
	case r < 92:
		p.way, p.amount = byIntegration, f.amount("USD")
		p.integration, p.failed = []string{"quickbooks", "xero"}[f.rng.IntN(2)], f.rng.IntN(20) == 0
		return p
	default:
		p.way, p.amount, p.expenses = byInvoice, f.amount("USD"), f.rng.IntN(3) == 0
	}
	p.method = f.method(&p)
	p.refund = f.refundOf()
	p.billing = payment.Address{Line1: "1 Market Street", City: "San Francisco", State: "CA", Zip: "94105", Country: "US"}
	return p
}

// weighted returns the index of the bucket n (0 to 99) falls in, the buckets' sizes given
// but the last, which takes the rest.
func weighted(n int, sizes ...int) int {
	for i, s := range sizes {
		if n < s {
			return i
		}
		n -= s
	}
	return len(sizes)
}

// amount draws a price from 5 to about 2,000 in major units, most of them small, often
// ending in .00 or .99.
func (f *filler) amount(currency string) money.Amount {
	major := int64(5 + f.rng.ExpFloat64()*120)
	minor := []int64{0, 0, 99, 50, int64(f.rng.IntN(100))}[f.rng.IntN(5)]
	return money.Amount{Minor: min(major, 2000)*100 + minor, Currency: currency}
}

// cards are test cards that succeed: Visa, Mastercard and a Visa debit.
var cards = []string{"4242424242424242", "5555555555554444", "4000056655665556"}

// disputeCards open a dispute some days after the payment.
var disputeCards = []string{"4000000000000259", "4000000000002685"}

// method draws how p is paid: mostly by card, otherwise by the bank debit of its currency
// when the link allows it; a few dispute cards and bank accounts whose debits fail.
func (f *filler) method(p *plan) processor.TokenizeParams {
	debit := f.rng.IntN(100) < 18 && (p.offer == nil || len(p.offer.input.Methods) > 1)
	if !debit {
		number := cards[f.rng.IntN(len(cards))]
		if f.rng.IntN(250) == 0 {
			number, p.disputed = disputeCards[f.rng.IntN(len(disputeCards))], true
		}
		return processor.TokenizeParams{Card: &processor.CardDetails{Number: number, ExpMonth: 1 + f.rng.IntN(12),
			ExpYear: 2028 + f.rng.IntN(6), CVC: "123"}}
	}
	p.failing = f.rng.IntN(16) == 0
	return bankDebit(p.amount.Currency, p.failing, p.buyer.first+" "+p.buyer.last)
}

// bankDebit is a test bank account of currency's rail; failing picks the one whose debits
// fail for want of funds.
func bankDebit(currency string, failing bool, holder string) processor.TokenizeParams {
	pick := func(ok, fails string) string {
		if failing {
			return fails
		}
		return ok
	}
	switch currency {
	case "EUR":
		return processor.TokenizeParams{SEPA: &processor.SEPADetails{IBAN: pick("DE89370400440532013000", "DE62370400440532013001"), AccountHolder: holder}}
	case "GBP":
		return processor.TokenizeParams{BACS: &processor.BACSDetails{SortCode: "108800", AccountNumber: pick("00012345", "22222222"), AccountHolder: holder}}
	case "CAD":
		return processor.TokenizeParams{PAD: &processor.PADDetails{TransitNumber: "11000", InstitutionNumber: "000",
			AccountNumber: pick("000123456789", "000111111116"), AccountHolder: holder}}
	}
	return processor.TokenizeParams{ACH: &processor.ACHDetails{RoutingNumber: "110000000", AccountNumber: pick("000123456789", "000111111116"), AccountHolder: holder}}
}
