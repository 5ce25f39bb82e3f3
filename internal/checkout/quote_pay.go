package checkout

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// payQuote accepts and pays the published quote in.SourceID names, in one transaction with
// the quote locked: the payment with its contact and deal (SPEC F12: the deal's amount is
// the quote's total after discounts), the line items and subscriptions as a payment link's
// checkout writes them, the quote ACCEPTED and associated with the payment and the deal. A
// quote past its expiration date is refused and marked EXPIRED; a draft, an accepted or an
// expired quote, one whose line items changed since it was published, a quantity or a
// method the quote does not take (MethodsFor) are refused before anything is charged.
func (s *Service) payQuote(ctx context.Context, in Input) (Result, error) {
	acct, id, err := s.byToken(ctx, tokenQuote, in.SourceID)
	if err != nil {
		return Result{}, err
	}
	var out Result
	var expired bool
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rec, err := s.crm.LockRecord(ctx, tx, acct, quoteType, id)
		if err != nil {
			return err
		}
		if quoteStatusOf(rec) == QuotePublished {
			if expired, err = s.pastExpiry(ctx, tx, acct, rec); err != nil || expired {
				return cmp.Or(err, errQuoteStatus(id, QuoteExpired))
			}
		}
		o, err := s.quoteOrder(ctx, acct, rec, in)
		if err != nil {
			return err
		}
		o.source.URL = s.baseURL + "/quotes/" + in.SourceID
		if out, err = s.chargeOrder(ctx, tx, o, in); err != nil {
			return err
		}
		return s.accept(ctx, tx, o, out.Payment, out.linked.Deal)
	})
	if expired {
		if xerr := s.markExpired(ctx, acct, id); xerr != nil {
			return Result{}, xerr
		}
	}
	return out, err
}

// quoteOrder checks a checkout of a locked quote still within its expiration date and
// returns what it buys.
func (s *Service) quoteOrder(ctx context.Context, accountID int64, rec crm.Record, in Input) (order, error) {
	if st := quoteStatusOf(rec); st != QuotePublished {
		return order{}, errQuoteStatus(rec.ID, st)
	}
	q, err := s.readQuote(ctx, accountID, rec)
	if err != nil {
		return order{}, err
	}
	bad := &problem.InvalidError{Summary: "The quote cannot be paid"}
	if published, err := money.ParseDecimal(rec.Values["hs_quote_amount"], q.Totals.Currency); err != nil || published != q.Amount() {
		bad.Addf("source.id", "QUOTE_CHANGED", "Quote %d's line items changed after it was published; ask the seller to publish it again.", rec.ID)
	}
	checkMethod(bad, "quote", MethodsFor(q.Totals.Currency), in.Method)
	checkEmail(bad, in.Buyer.Email)
	if in.Quantity != nil {
		bad.Add("quantity", "QUANTITY_NOT_ALLOWED", "A quote is accepted as it is; leave quantity out.")
	}
	o := order{accountID: accountID, quoteID: rec.ID, items: q.Items, totals: q.Totals,
		source: payment.Source{Type: SourceQuote, ID: itoa(rec.ID), Name: cmp.Or(q.Title, fmt.Sprintf("Quote %d", rec.ID))}}
	o.groups, err = lineitem.Groups(q.Items)
	if err != nil {
		return order{}, err
	}
	return o, bad.OrNil()
}

// accept marks a paid quote ACCEPTED and associates it with its payment and deal (0 for none).
func (s *Service) accept(ctx context.Context, tx *sql.Tx, o order, pay payment.Payment, deal int64) error {
	if _, err := s.crm.SetProperties(ctx, o.accountID, quoteType, o.quoteID, map[string]string{"hs_status": string(QuoteAccepted)}, settle()); err != nil {
		return err
	}
	links := []crm.Link{{Type: payment.Type, ID: pay.ID}}
	if deal != 0 {
		links = append(links, crm.Link{Type: "deals", ID: deal})
	}
	return s.crm.LinkNew(ctx, tx, o.accountID, quoteType, o.quoteID, links, settle())
}

// quoteItems reads the live line items associated with a quote as items, in id order. A
// line item is read as an invoice reads one (price, quantity, discounts, tax rate, currency,
// falling back to the quote's hs_currency, then the account's default one), and also its billing frequency and number of
// payments, so that recurring lines start subscriptions.
func (s *Service) quoteItems(ctx context.Context, accountID int64, quote crm.Record) ([]lineitem.Item, error) {
	page, err := s.crm.Associations(ctx, accountID, quoteType, quote.IDString(), "line_items", 0, lineitem.MaxItems+1)
	if err != nil || len(page.Results) == 0 {
		return nil, err
	}
	if len(page.Results) > lineitem.MaxItems {
		return nil, problem.Invalid(lineitem.ListField, "TOO_MANY_ITEMS", fmt.Sprintf("A quote has at most %d line items.", lineitem.MaxItems))
	}
	ids := make([]string, len(page.Results))
	for i, r := range page.Results {
		ids[i] = itoa(r.ID)
	}
	found, _, err := s.crm.BatchRead(ctx, accountID, "line_items", ids, "", crm.ReadOptions{})
	if err != nil {
		return nil, err
	}
	fallback := quote.Values["hs_currency"]
	if fallback == "" {
		acct, err := s.accounts.Account(ctx, accountID)
		if err != nil {
			return nil, err
		}
		fallback = acct.DefaultCurrency
	}
	bad := &problem.InvalidError{Summary: "The quote's line items are not valid"}
	items := make([]lineitem.Item, len(found))
	for i, e := range found {
		items[i] = quoteItem(bad, fmt.Sprintf("%s[%d].", lineitem.ListField, i), e.Record, fallback)
	}
	if err := bad.OrNil(); err != nil {
		return nil, err
	}
	return items, lineitem.Validate(items)
}

// quoteItem reads one line item record, adding its unreadable values to bad under prefix.
func quoteItem(bad *problem.InvalidError, prefix string, rec crm.Record, fallback string) lineitem.Item {
	v := rec.Values
	it := lineitem.Item{Name: v["name"], SKU: v["hs_sku"], ProductID: v["hs_product_id"],
		Currency: cmp.Or(v["hs_line_item_currency_code"], fallback), Quantity: 1}
	amount := func(name string) int64 {
		a, err := money.ParseDecimal(v[name], it.Currency)
		if err != nil {
			bad.Addf(prefix+name, "INVALID_AMOUNT", "Line item %d has %s %q: %v.", rec.ID, name, v[name], err)
		}
		return a.Minor
	}
	percent := func(name string) lineitem.Percent {
		p, err := lineitem.ParsePercent(v[name])
		if err != nil {
			bad.Addf(prefix+name, "INVALID_PERCENT", "Line item %d has %s %q: %v.", rec.ID, name, v[name], err)
		}
		return p
	}
	if v["price"] == "" {
		bad.Addf(prefix+"price", "REQUIRED", "Line item %d has no price.", rec.ID)
	} else {
		it.UnitPrice = amount("price")
	}
	if v["quantity"] != "" {
		it.Quantity = wholeNumber(bad, prefix+"quantity", v["quantity"])
	}
	if v["discount"] != "" {
		it.Discount.Amount = amount("discount")
	}
	if v["hs_discount_percentage"] != "" {
		it.Discount.Percent = percent("hs_discount_percentage")
	}
	if v["hs_tax_rate"] != "" {
		it.TaxRate = percent("hs_tax_rate")
	}
	if f, err := lineitem.ParseFrequency(v["recurringbillingfrequency"]); err == nil {
		payments := int64(0)
		if n := v["hs_recurring_billing_number_of_payments"]; n != "" {
			payments = wholeNumber(bad, prefix+"hs_recurring_billing_number_of_payments", n)
		}
		it.Billing = &lineitem.Billing{Frequency: f, Term: lineitem.FixedTerm(int(payments))}
	}
	return it
}

// wholeNumber reads a CRM number that must be whole.
func wholeNumber(bad *problem.InvalidError, field, s string) int64 {
	n, err := crm.ParseNumber(s)
	if err != nil || n%1_000_000 != 0 {
		bad.Addf(field, "INVALID_NUMBER", "%q is not a whole number.", s)
		return 0
	}
	return n / 1_000_000
}
