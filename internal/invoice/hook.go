package invoice

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// What the CRM API may do to invoices and their line items. Settle's own writes (System
// inputs, SetProperties, LinkNew) are not checked here.
//
//   - An invoice is created as a draft; its status changes only through finalize, void,
//     mark-uncollectible and payments, never by writing hs_invoice_status.
//   - While it is a draft, its amounts follow its line items: creating, changing,
//     associating or dissociating one of its line items, or changing its currency,
//     recomputes them in the same transaction, and a line item that cannot be billed
//     refuses that write.
//   - Once finalized, it is frozen: frozenInvoiceProperties cannot change, it cannot be
//     archived or restored, no line item can be associated with it or dissociated from it,
//     and its line items' billed properties (billedProperties) cannot change, nor can they
//     be archived or restored.
//
// One gap remains: archiving or restoring a line item of a draft does not recompute the
// draft's stored amounts at once (the CRM calls no hook after an archive); the next change,
// finalize and the PDF use the live line items.
type invoiceHook struct{ s *Service }

// frozenInvoiceProperties are what a finalized invoice prints and bills.
var frozenInvoiceProperties = []string{"hs_currency", "hs_invoice_date", "hs_due_date", "hs_comments", "hs_purchase_order_number"}

// billedProperties are the line item properties an invoice bills or prints.
var billedProperties = []string{"name", "hs_sku", "hs_product_id", "price", "quantity", "discount",
	"hs_discount_percentage", "hs_tax_rate", "hs_line_item_currency_code"}

// BeforeCreate lets invoices be created as drafts only.
func (h invoiceHook) BeforeCreate(ctx context.Context, accountID int64, props map[string]string) (map[string]string, error) {
	if st := props["hs_invoice_status"]; st != "" && Status(st) != StatusDraft {
		return nil, problem.Invalid("hs_invoice_status", "INVALID_TRANSITION",
			fmt.Sprintf("An invoice is created as a draft, not %s; finalize it with POST /settle/v1/invoices/{id}/finalize.", st))
	}
	return nil, nil
}

// AfterCreate marks the new invoice a draft and computes its amounts from the line items
// it was created with.
func (h invoiceHook) AfterCreate(ctx context.Context, tx *sql.Tx, c crm.Created) (bool, error) {
	return true, h.s.refresh(ctx, c.AccountID, c.Record, map[string]string{"hs_invoice_status": string(StatusDraft)})
}

// BeforeChange refuses status changes and any change to a finalized invoice's content.
func (h invoiceHook) BeforeChange(ctx context.Context, accountID int64, rec crm.Record, props map[string]string) error {
	final := statusOf(rec) != StatusDraft
	if props == nil && final {
		return problem.Invalid("status", "INVOICE_FINALIZED", describe(rec)+" is "+string(statusOf(rec))+
			": a finalized invoice cannot be archived or restored; void it instead.")
	}
	if st, ok := props["hs_invoice_status"]; ok && st != rec.Values["hs_invoice_status"] {
		return problem.Invalid("hs_invoice_status", "INVALID_TRANSITION",
			"An invoice's status changes through /settle/v1/invoices/{id}/finalize, /void and /mark-uncollectible, and payments.")
	}
	if final {
		return unchanged(rec, props, frozenInvoiceProperties)
	}
	return nil
}

// AfterUpdate recomputes a draft whose currency changed.
func (h invoiceHook) AfterUpdate(ctx context.Context, tx *sql.Tx, accountID int64, before, after crm.Record, src crm.Source) error {
	if statusOf(after) != StatusDraft || before.Values["hs_currency"] == after.Values["hs_currency"] {
		return nil
	}
	return h.s.refresh(ctx, accountID, after, nil)
}

// LinkChanged keeps a finalized invoice's line items as they are and a draft's amounts
// current when a line item is associated with it or dissociated from it.
func (h invoiceHook) LinkChanged(ctx context.Context, tx *sql.Tx, accountID, id int64, otherType string, otherID int64) error {
	if otherType != lineItemType {
		return nil
	}
	return h.s.lineItemsChanged(ctx, tx, accountID, id)
}

// lineItemsChanged locks an invoice whose line items changed, refuses the change when it is
// finalized and recomputes it otherwise.
func (s *Service) lineItemsChanged(ctx context.Context, tx *sql.Tx, accountID, invoiceID int64) error {
	inv, err := s.crm.LockRecord(ctx, tx, accountID, Type, invoiceID)
	if err != nil {
		return err
	}
	if st := statusOf(inv); st != StatusDraft {
		return problem.Invalid("line_items", "INVOICE_FINALIZED",
			describe(inv)+" is "+string(st)+": the line items of a finalized invoice cannot change.")
	}
	return s.refresh(ctx, accountID, inv, nil)
}

// unchanged refuses props that would change any of names on rec.
func unchanged(rec crm.Record, props map[string]string, names []string) error {
	for _, name := range names {
		if v, ok := props[name]; ok && v != rec.Values[name] {
			return problem.Invalid(name, "INVOICE_FINALIZED", fmt.Sprintf("%s is %s: %s can no longer change.",
				describe(rec), statusOf(rec), name))
		}
	}
	return nil
}

// lineItemHook applies the invoice rules to writes of line items through the CRM API.
type lineItemHook struct{ s *Service }

// BeforeCreate accepts every line item: whether it can be billed is known once it is
// associated, after it is created.
func (h lineItemHook) BeforeCreate(ctx context.Context, accountID int64, props map[string]string) (map[string]string, error) {
	return nil, nil
}

// AfterCreate recomputes the drafts the new line item was associated with, and refuses it
// when one of them is finalized.
func (h lineItemHook) AfterCreate(ctx context.Context, tx *sql.Tx, c crm.Created) (bool, error) {
	return false, h.s.invoicesChanged(ctx, tx, c.AccountID, c.Record)
}

// BeforeChange refuses archiving or restoring a line item of a finalized invoice. Changes of
// its values are checked after the write, with the invoice locked.
func (h lineItemHook) BeforeChange(ctx context.Context, accountID int64, rec crm.Record, props map[string]string) error {
	if props != nil {
		return nil
	}
	e, err := h.s.crm.Get(ctx, accountID, lineItemType, rec.IDString(), "",
		crm.ReadOptions{Archived: rec.ArchivedAt != nil, Associations: []string{Type}})
	if err != nil {
		return err
	}
	for _, a := range e.Associations[Type] {
		inv, err := h.s.Get(ctx, accountID, a.ID)
		if err != nil {
			return err
		}
		if inv.Status != StatusDraft {
			return problem.Invalid("line_items", "INVOICE_FINALIZED", fmt.Sprintf("Line item %d is on %s, which is %s: it cannot be archived or restored.",
				rec.ID, describe(inv.Record), inv.Status))
		}
	}
	return nil
}

// AfterUpdate recomputes the drafts of a line item whose billed values changed, and refuses
// the change when one of its invoices is finalized.
func (h lineItemHook) AfterUpdate(ctx context.Context, tx *sql.Tx, accountID int64, before, after crm.Record, src crm.Source) error {
	if !changed(before, after, billedProperties) {
		return nil
	}
	return h.s.invoicesChanged(ctx, tx, accountID, after)
}

// changed reports whether any of names differs between two versions of a record.
func changed(a, b crm.Record, names []string) bool {
	for _, name := range names {
		if a.Values[name] != b.Values[name] {
			return true
		}
	}
	return false
}

// invoicesChanged runs lineItemsChanged for every invoice a line item is on, in id order, so
// that concurrent writes lock invoices in the same order.
func (s *Service) invoicesChanged(ctx context.Context, tx *sql.Tx, accountID int64, line crm.Record) error {
	page, err := s.crm.Associations(ctx, accountID, lineItemType, line.IDString(), Type, 0, crm.MaxBatch)
	if err != nil {
		return err
	}
	for _, a := range page.Results {
		if err := s.lineItemsChanged(ctx, tx, accountID, a.ID); err != nil {
			return err
		}
	}
	return nil
}
