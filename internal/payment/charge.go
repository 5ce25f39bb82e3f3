package payment

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// Source is what a payment was made through (SPEC F8): a payment link, a quote, an invoice,
// a subscription's renewal, or a direct call of the API.
type Source struct {
	// Type is payment_link, quote, invoice, subscription or api.
	Type string
	ID   string
	Name string
	URL  string
}

// sourceApps maps source types to hs_payment_source_app.
var sourceApps = map[string]string{"payment_link": "SALES_CHECKOUT", "quote": "QUOTE", "invoice": "INVOICE",
	"subscription": "SUBSCRIPTION", "api": ""}

// ChargeInput is a payment to make through the account's processor.
type ChargeInput struct {
	Amount      money.Amount
	Buyer       Buyer
	Method      processor.TokenizeParams
	Description string
	Source      Source
	// Recurring marks a later charge of a subscription: it creates no deal (SPEC F12).
	Recurring bool
	// Discounts is what the buyer was spared; the deal's amount is Amount, after them.
	Discounts money.Amount
	Billing   Address
	// InvoiceID and SubscriptionID associate the payment with existing records.
	InvoiceID, SubscriptionID int64
}

// Address is a billing address.
type Address struct {
	Line1, Line2, City, State, Zip, Country string
}

// DeclinedError is a card the processor declined: nothing is recorded, the buyer may try
// again.
type DeclinedError struct {
	Code string
}

func (e *DeclinedError) Error() string {
	return fmt.Sprintf("the card was declined (%s)", e.Code)
}

func (in *ChargeInput) validate() error {
	inv := &problem.InvalidError{}
	in.Buyer.validate(inv)
	if in.Amount.Minor <= 0 {
		inv.Add("amount", "INVALID_AMOUNT", "The amount must be a positive number of minor units.")
	}
	if _, ok := sourceApps[in.Source.Type]; !ok {
		inv.Addf("source.type", "INVALID_OPTION", "The source type must be payment_link, quote, invoice, subscription or api, not %q.", in.Source.Type)
	}
	return inv.OrNil()
}

// Charge makes a payment through the account's processor and records it with everything
// that follows, in one transaction: the charge, the buyer's contact (found by email or
// created), their primary company, a deal for payment links and quotes, the payment record
// and its associations, timeline entries, and the follow-ups that act on it. A declined card
// records nothing and returns a *DeclinedError.
func (s *Service) Charge(ctx context.Context, accountID int64, in ChargeInput) (Payment, error) {
	p, _, err := s.ChargeLinked(ctx, accountID, in)
	return p, err
}

// Linked are the ids of the records a payment is associated with, 0 for none: as Related
// reads them, or as ChargeLinked made them (associations made afterwards are not in that).
type Linked struct {
	Contact, Company, Deal, Invoice, Subscription int64
}

func (rel related) linked() Linked {
	return Linked{Contact: rel.contact, Company: rel.company, Deal: rel.deal, Invoice: rel.invoice, Subscription: rel.subscription}
}

// ChargeLinked is Charge, also returning what it linked the new payment with, so that its
// caller need not read that back.
func (s *Service) ChargeLinked(ctx context.Context, accountID int64, in ChargeInput) (Payment, Linked, error) {
	if in.Source.Type == "" {
		in.Source.Type = "api"
	}
	if err := in.validate(); err != nil {
		return Payment{}, Linked{}, err
	}
	var out Payment
	var rel related
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		c, err := s.processor.Pay(ctx, processor.PayParams{AccountID: accountID, Amount: in.Amount.Decimal(),
			Currency: in.Amount.Currency, Method: in.Method, Description: in.Description})
		if err != nil {
			return err
		}
		if c.Status == processor.ChargeFailed && c.Method == processor.MethodCard {
			return &DeclinedError{Code: c.FailureCode}
		}
		out, rel, err = s.recordCharge(ctx, tx, accountID, in, c)
		return err
	})
	return out, rel.linked(), err
}

// recordCharge writes the payment of a processed charge and its effects.
func (s *Service) recordCharge(ctx context.Context, tx *sql.Tx, accountID int64, in ChargeInput, c processor.Charge) (Payment, related, error) {
	acct, err := s.account(ctx, accountID)
	if err != nil {
		return Payment{}, related{}, err
	}
	ctx = withAccount(ctx, acct)
	contact, created, err := s.contactFor(ctx, accountID, in.Buyer, acct.Settings.MarketingContacts, crm.Lookup{})
	if err != nil {
		return Payment{}, related{}, err
	}
	rel := related{contact: contact, invoice: in.InvoiceID, subscription: in.SubscriptionID}
	if !created { // a new contact has no company yet
		if rel.company, err = s.primaryCompany(ctx, accountID, contact); err != nil {
			return Payment{}, related{}, err
		}
	}
	if rel.deal, err = s.dealFor(ctx, accountID, in, c.CreatedAt); err != nil {
		return Payment{}, related{}, err
	}
	rec, err := s.crm.Create(ctx, accountID, Type, crm.Input{Properties: chargeProperties(in, c), System: true}, settle())
	if err != nil {
		return Payment{}, related{}, err
	}
	p := fromRecord(accountID, rec)
	if err := s.linkNew(ctx, tx, p, newLinks(p, rel, rel.deal != 0), rel.invoice != 0); err != nil {
		return Payment{}, related{}, err
	}
	if err := s.markEventsOf(ctx, tx, accountID, c.ID); err != nil {
		return Payment{}, related{}, err
	}
	if err := s.statusChanged(ctx, tx, StatusChange{Payment: p, InvoiceID: in.InvoiceID}); err != nil {
		return Payment{}, related{}, err
	}
	return p, rel, s.announce(ctx, tx, p, rel, eventFor(p.Status))
}

// chargeProperties are the payment record of a charge.
func chargeProperties(in ChargeInput, c processor.Charge) map[string]string {
	status := map[processor.ChargeStatus]Status{processor.ChargeSucceeded: StatusSucceeded,
		processor.ChargeProcessing: StatusProcessing, processor.ChargeFailed: StatusFailed}[c.Status]
	cur := c.Amount.Currency
	props := map[string]string{
		"hs_initial_amount": c.Amount.Decimal(), "hs_currency_code": cur, "hs_latest_status": string(status),
		"hs_fees_amount": "0", "hs_refunds_amount": "0", "hs_processor_type": ProcessorSettle, "hs_payment_id": c.ID,
		"hs_payment_method_type": methodProperty(c.Method), "hs_customer_email": in.Buyer.Email,
		"hs_initiated_date": crm.FormatDatetime(c.CreatedAt), "hs_payment_type": "one_time_or_initial",
		"hs_settlement_currency_code": c.Settlement.Currency, "hs_initial_amount_in_settlement_currency": c.Settlement.Decimal(),
		"hs_fees_amount_in_settlement_currency": c.Fee.Decimal(),
		"hs_net_amount_in_settlement_currency":  decimal(c.Settlement.Minor-c.Fee.Minor, c.Settlement.Currency),
		"hs_payment_source_app":                 sourceApps[in.Source.Type], "hs_payment_source_id": in.Source.ID,
		"hs_payment_source_name": in.Source.Name, "hs_payment_source_url": in.Source.URL,
		"hs_payment_creation_method": "PROCESSOR",
	}
	if in.Recurring {
		props["hs_payment_type"] = "recurring"
	}
	if !c.Rate.IsZero() {
		props["hs_settlement_exchange_rate"] = c.Rate.String()
	}
	props["hs_fees_amount"] = feeInPaymentCurrency(c.Fee, cur, c.Rate).Decimal()
	if status == StatusSucceeded {
		props["hs_processed_date"] = crm.FormatDatetime(c.CreatedAt)
	}
	if !in.Discounts.IsZero() {
		props["hs_total_discounts_amount"] = in.Discounts.Decimal()
	}
	addBilling(props, in.Billing)
	addDerived(props, c.Amount, props["hs_fees_amount"])
	return props
}

// feeInPaymentCurrency is the processor's fee (in the settlement currency) in the payment's
// currency: the same amount, or converted back at the rate the charge was made at (SPEC F24).
func feeInPaymentCurrency(fee money.Amount, cur string, rate money.Rate) money.Amount {
	if fee.Currency == cur || fee.Currency == "" {
		return money.Amount{Minor: fee.Minor, Currency: cur}
	}
	back, err := money.ConvertBack(fee, cur, rate)
	if err != nil {
		return money.Amount{Currency: cur}
	}
	return back
}

func addBilling(props map[string]string, a Address) {
	for k, v := range map[string]string{"line_1": a.Line1, "line_2": a.Line2, "city": a.City, "state": a.State,
		"zip": a.Zip, "country": a.Country} {
		if v != "" {
			props["hs_billing_address_"+k] = v
		}
	}
}

// addDerived adds the net and paid amounts of a new payment.
func addDerived(props map[string]string, gross money.Amount, fee string) {
	p := Payment{Amount: gross, Fee: amountOf(fee, gross.Currency), Refunded: money.Amount{Currency: gross.Currency}}
	for k, v := range derived(p) {
		props[k] = v
	}
}

// methodProperty is hs_payment_method_type for a processor method (PAD is "pads" there).
func methodProperty(m processor.Method) string {
	if m == processor.MethodPAD {
		return "pads"
	}
	return string(m)
}

// dealFor creates the deal of a payment from a payment link or a quote (SPEC F12): its
// amount is the payment's total after discounts, closed won; linkNew associates it with the
// buyer. Other payments, and later charges of a subscription, create none.
func (s *Service) dealFor(ctx context.Context, accountID int64, in ChargeInput, at time.Time) (int64, error) {
	if in.Recurring || !slices.Contains([]string{"payment_link", "quote"}, in.Source.Type) {
		return 0, nil
	}
	name := in.Source.Name
	if name == "" {
		name = "Payment"
	}
	deal, err := s.crm.Create(ctx, accountID, "deals", crm.Input{System: true, Properties: map[string]string{
		"dealname": name + " – " + in.Buyer.Email, "amount": in.Amount.Decimal(), "deal_currency_code": in.Amount.Currency,
		"dealstage": "closedwon", "pipeline": "default", "closedate": crm.FormatDatetime(at),
	}}, settle())
	return deal.ID, err
}

// related are the records a payment is associated with; zero ids are absent.
type related struct {
	contact, company, deal, invoice, subscription int64
}

// links are the related records as CRM links, absent ones left out.
func (rel related) links() []crm.Link {
	var out []crm.Link
	for _, l := range []crm.Link{{Type: "contacts", ID: rel.contact}, {Type: "companies", ID: rel.company},
		{Type: "deals", ID: rel.deal}, {Type: "invoices", ID: rel.invoice}, {Type: "subscriptions", ID: rel.subscription}} {
		if l.ID != 0 {
			out = append(out, l)
		}
	}
	return out
}

// newLinks are the associations of a payment just recorded with its related records (one
// of each, SPEC F25) and, when newDeal is set, of the deal made for it with its contact.
func newLinks(p Payment, rel related, newDeal bool) []crm.NewLinks {
	all := []crm.NewLinks{{Type: Type, ID: p.ID, Links: rel.links()}}
	if newDeal && rel.contact != 0 {
		all = append(all, crm.NewLinks{Type: "deals", ID: rel.deal, Links: []crm.Link{{Type: "contacts", ID: rel.contact}}})
	}
	return all
}

// linkNew writes links, a payment's newLinks: in tx at once when readBack is set — something
// later in tx reads them (an answer listing them, the observer of a paid invoice) — and
// otherwise at commit with the transaction's other held-back rows, a round trip fewer on
// PostgreSQL.
func (s *Service) linkNew(ctx context.Context, tx *sql.Tx, p Payment, links []crm.NewLinks, readBack bool) error {
	if readBack {
		return s.crm.LinkNewAll(ctx, tx, p.AccountID, links, settle())
	}
	return s.crm.LinkNewAllAtCommit(tx, p.AccountID, links, settle())
}
