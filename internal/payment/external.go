package payment

import (
	"context"
	"database/sql"
	"maps"
	"slices"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// externalHook applies the payment rules to writes through the CRM API, which records
// payments made elsewhere: by hand (processor none) or by an accounting integration
// (quickbooks, xero) (SPEC F3, F4). Payments processed by Settle or Stripe are the
// processor's to record and change; through the CRM API they are read-only.
type externalHook struct{ s *Service }

var externalProcessors = []string{ProcessorNone, ProcessorQuickBooks, ProcessorXero}

// BeforeCreate refuses processed payments and payments without an amount or a date, and
// completes the others: defaults (the account's currency, status processing…) and the
// amounts derived from theirs, written with the record.
func (h externalHook) BeforeCreate(ctx context.Context, accountID int64, props map[string]string) (map[string]string, error) {
	inv := &problem.InvalidError{Summary: "Property values were not valid"}
	if proc, ok := props["hs_processor_type"]; ok && proc != "" && !slices.Contains(externalProcessors, proc) {
		inv.Addf("hs_processor_type", "PROCESSED_PAYMENT",
			"Payments processed by %s are recorded by the processor; through this API record payments with hs_processor_type none, quickbooks or xero.", proc)
	}
	for _, required := range []string{"hs_initial_amount", "hs_initiated_date"} {
		if props[required] == "" {
			inv.Addf(required, "REQUIRED", "%s is required to record a payment.", required)
		}
	}
	if st, ok := props["hs_latest_status"]; ok && st != "" {
		if _, known := transitions[Status(st)]; !known {
			inv.Addf("hs_latest_status", "INVALID_OPTION", "%q is not a payment status.", st)
		}
	}
	if err := inv.OrNil(); err != nil {
		return nil, err
	}
	acct, err := h.s.account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	more := externalDefaults(props, acct.DefaultCurrency)
	maps.Copy(more, derived(fromRecord(accountID, crm.Record{Values: withValues(props, more)})))
	return more, nil
}

// LateInsert lets the payment's row be written at commit (crm.LateInsert): AfterCreate
// reads the buyer's contact and company, never the payment, and changes nothing of it.
func (externalHook) LateInsert() {}

// PrepareCreate looks up the contact of the payment's customer email, which AfterCreate
// relates the payment to, before the creating transaction, and prepares it when it is new
// (crm.LookUp).
func (h externalHook) PrepareCreate(ctx context.Context, accountID int64, values map[string]string) (any, error) {
	acct, err := h.s.account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return h.s.lookUpContact(ctx, accountID, Buyer{Email: values["hs_customer_email"]}, acct.Settings.MarketingContacts)
}

// AfterCreate relates an external payment, complete since BeforeCreate, to the buyer's
// contact and company when the record names an email, and writes its timeline entries and
// follow-ups — workflows and webhooks, but no receipt and no notification (SPEC F4).
// The payment record itself does not change.
func (h externalHook) AfterCreate(ctx context.Context, tx *sql.Tx, c crm.Created) (bool, error) {
	acct, err := h.s.account(ctx, c.AccountID)
	if err != nil {
		return false, err
	}
	p := fromRecord(c.AccountID, c.Record)
	prior, _ := c.Prepared.(crm.Lookup)
	rel, err := h.s.relateBuyer(ctx, tx, p, c.Associated, acct.Settings.MarketingContacts, prior)
	if err != nil {
		return false, err
	}
	return false, h.s.announce(ctx, tx, p, rel, eventFor(p.Status))
}

// externalDefaults fills what an external payment's values leave out.
func externalDefaults(values map[string]string, currency string) map[string]string {
	props := map[string]string{}
	defaults := map[string]string{"hs_processor_type": ProcessorNone, "hs_currency_code": currency,
		"hs_latest_status": string(StatusProcessing), "hs_payment_type": "one_time_or_initial", "hs_fees_amount": "0",
		"hs_refunds_amount": "0", "hs_payment_creation_method": "OTHER"}
	for k, v := range defaults {
		if values[k] == "" {
			props[k] = v
		}
	}
	return props
}

// withValues returns values with props over them.
func withValues(values, props map[string]string) map[string]string {
	out := maps.Clone(values)
	maps.Copy(out, props)
	return out
}

// relateBuyer associates a new external payment with the contact of its customer email
// (found or created) and that contact's primary company, unless the request associated
// others, in one statement with the timeline entries. associated tells whether the request
// did: when it did not, the payment has no associations to read, and nothing in tx reads
// the new ones, so they are written at commit. prior is the contact looked up before the
// transaction (lookUpContact), or an empty Lookup.
func (s *Service) relateBuyer(ctx context.Context, tx *sql.Tx, p Payment, associated, marketing bool, prior crm.Lookup) (related, error) {
	var rel related
	var err error
	if associated {
		if rel, err = s.relatedOf(ctx, p); err != nil {
			return rel, err
		}
	}
	if p.Email == "" || rel.contact != 0 {
		return rel, nil
	}
	contact, created, err := s.contactFor(ctx, p.AccountID, Buyer{Email: p.Email}, marketing, prior)
	if err != nil {
		return rel, err
	}
	rel.contact = contact
	add := related{contact: rel.contact}
	if rel.company == 0 && !created { // a new contact has no company yet
		if rel.company, err = s.primaryCompany(ctx, p.AccountID, contact); err != nil {
			return rel, err
		}
		add.company = rel.company
	}
	// When the request gave associations, the answer reads them in tx.
	return rel, s.linkNew(ctx, tx, p, newLinks(p, add, false), associated)
}

// BeforeChange keeps processed payments read-only and status changes legal.
func (h externalHook) BeforeChange(ctx context.Context, accountID int64, rec crm.Record, props map[string]string) error {
	p := fromRecord(accountID, rec)
	if !p.External() {
		return problem.Invalid("hs_processor_type", "READ_ONLY_PAYMENT",
			"This payment was processed by Settle or Stripe: it cannot be changed or archived through this API; refund it instead.")
	}
	if proc, ok := props["hs_processor_type"]; ok && !slices.Contains(externalProcessors, proc) {
		return problem.Invalid("hs_processor_type", "PROCESSED_PAYMENT", "A recorded payment cannot become a processed one.")
	}
	if st, ok := props["hs_latest_status"]; ok {
		return checkMove(p.Status, Status(st))
	}
	return nil
}

// AfterUpdate keeps the derived amounts right and announces a status change.
func (h externalHook) AfterUpdate(ctx context.Context, tx *sql.Tx, accountID int64, before, after crm.Record, src crm.Source) error {
	p := fromRecord(accountID, after)
	rec, err := h.s.crm.SetProperties(ctx, accountID, Type, p.ID, derived(p), src)
	if err != nil || before.Values["hs_latest_status"] == after.Values["hs_latest_status"] {
		return err
	}
	p = fromRecord(accountID, rec)
	rel, err := h.s.relatedOf(ctx, p)
	if err != nil {
		return err
	}
	return h.s.announce(ctx, tx, p, rel, eventFor(p.Status))
}
