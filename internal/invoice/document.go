package invoice

import (
	"bytes"
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/money"
)

// PDF renders an invoice of the account as a PDF (see Document and WritePDF) and returns it
// with the invoice.
func (s *Service) PDF(ctx context.Context, accountID, id int64) ([]byte, Invoice, error) {
	doc, inv, err := s.Document(ctx, accountID, id)
	if err != nil {
		return nil, inv, err
	}
	var buf bytes.Buffer
	if err := WritePDF(&buf, doc, s.catalog); err != nil {
		return nil, inv, err
	}
	return buf.Bytes(), inv, nil
}

// logo returns the account's logo as kept (PNG, JPEG or GIF; the PDF converts it), or
// nothing when it has none.
func (s *Service) logo(ctx context.Context, acct auth.Account) ([]byte, error) {
	if acct.Branding.LogoFileID == "" || s.files == nil {
		return nil, nil
	}
	_, data, err := s.files.Open(ctx, acct.ID, acct.Branding.LogoFileID)
	return data, err
}

// Document gathers what an invoice's PDF prints: the account's branding (company name, or
// the account's name, logo and colour), the buyer from the invoice's
// contact (name, email) and company (name, address), the lines and totals of its line items,
// what was paid and what is due. It is written in the first language Settle speaks among the
// invoice's hs_language, its contact's and the account's. A draft prints with its stamp,
// the word "draft" for a number and today's date; once finalized, the invoice's own.
func (s *Service) Document(ctx context.Context, accountID, id int64) (Document, Invoice, error) {
	inv, err := s.Get(ctx, accountID, id)
	if err != nil {
		return Document{}, inv, err
	}
	acct, err := s.accounts.Account(ctx, accountID)
	if err != nil {
		return Document{}, inv, err
	}
	b, err := s.billOf(ctx, accountID, inv.Record)
	if err != nil {
		return Document{}, inv, err
	}
	buyer, contactLanguage, err := s.buyer(ctx, accountID, inv.ID)
	if err != nil {
		return Document{}, inv, err
	}
	doc := Document{Language: s.language(inv.Language, contactLanguage, acct.Language), Status: pdfStatus(inv.Status),
		Seller: Branding{CompanyName: cmp.Or(acct.Branding.CompanyName, acct.Name), Colour: acct.Branding.Color},
		Buyer:  buyer, Notes: inv.Record.Values["hs_comments"]}
	if doc.Seller.LogoPNG, err = s.logo(ctx, acct); err != nil {
		return Document{}, inv, err
	}
	if err := s.identify(ctx, &doc, inv); err != nil {
		return Document{}, inv, err
	}
	fill(&doc, inv, b, cmp.Or(inv.Currency, acct.DefaultCurrency))
	return doc, inv, nil
}

// language picks the first of langs that the catalog has, or i18n.Default.
func (s *Service) language(langs ...string) string {
	for _, l := range langs {
		if s.catalog.Supported(l) {
			return l
		}
	}
	return i18n.Default
}

// pdfStatus is the stamp of an invoice in status st.
func pdfStatus(st Status) string {
	if st == StatusVoid {
		return "void"
	}
	return string(st)
}

// identify sets the number and dates of doc: the invoice's once finalized; a draft has no
// number yet and is dated today.
func (s *Service) identify(ctx context.Context, doc *Document, inv Invoice) error {
	doc.Number = inv.Number
	doc.IssueDate, _ = time.Parse(time.DateOnly, inv.IssueDate)
	doc.DueDate, _ = time.Parse(time.DateOnly, inv.DueDate)
	if doc.Number == "" {
		doc.Number = s.catalog.T(doc.Language, "invoice.pdf.status.draft")
	}
	if !doc.IssueDate.IsZero() {
		return nil
	}
	var err error
	doc.IssueDate, err = s.today(ctx, s.db.Reader(ctx), inv.AccountID)
	return err
}

// fill sets the lines and totals of doc. An invoice without line items (one written by
// Settle for a payment) prints what it bills as its total.
func fill(doc *Document, inv Invoice, b bill, currency string) {
	cur := cmp.Or(b.Totals.Currency, currency)
	amt := func(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: cur} }
	for i, it := range b.Items {
		l := b.Totals.Lines[i]
		doc.Lines = append(doc.Lines, DocumentLine{Description: it.Name, Quantity: it.Quantity, UnitPrice: amt(it.UnitPrice),
			Discount: amt(l.Discount + l.OrderDiscount), Tax: amt(l.Tax), Total: amt(l.Total)})
	}
	total := b.Totals.Total
	if len(b.Items) == 0 {
		total = inv.Billed.Minor
	}
	doc.Subtotal, doc.Discount, doc.Tax, doc.Total = amt(b.Totals.Subtotal), amt(b.Totals.Discount), amt(b.Totals.Tax), amt(total)
	if len(b.Items) == 0 {
		doc.Subtotal = doc.Total
	}
	doc.AmountPaid = amt(inv.Paid.Minor)
	doc.BalanceDue = amt(inv.Due.Minor)
	if inv.Status == StatusDraft {
		doc.BalanceDue = amt(max(total-inv.Paid.Minor, 0))
	}
}

// buyer is who an invoice is billed to, from its contact and company, and the contact's
// preferred language.
func (s *Service) buyer(ctx context.Context, accountID, invoiceID int64) (Recipient, string, error) {
	contact, err := s.associated(ctx, accountID, invoiceID, "contacts")
	if err != nil {
		return Recipient{}, "", err
	}
	company, err := s.associated(ctx, accountID, invoiceID, "companies")
	if err != nil {
		return Recipient{}, "", err
	}
	c, co := contact.Values, company.Values
	name := strings.TrimSpace(c["firstname"] + " " + c["lastname"])
	r := Recipient{Name: cmp.Or(name, co["name"]), Email: c["email"], Address: address(contact)}
	if co["name"] != "" {
		r.Address = address(company)
		if name != "" {
			r.Address = append([]string{co["name"]}, r.Address...)
		}
	}
	return r, c["hs_language"], nil
}

// address is a contact's or company's postal address, one line per element.
func address(rec crm.Record) []string {
	v := rec.Values
	var out []string
	for _, line := range []string{v["address"], strings.TrimSpace(v["zip"] + " " + v["city"]), v["state"], v["country"]} {
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// associated reads the first record of type typ associated with an invoice; a record
// without values when there is none.
func (s *Service) associated(ctx context.Context, accountID, invoiceID int64, typ string) (crm.Record, error) {
	page, err := s.crm.Associations(ctx, accountID, Type, idString(invoiceID), typ, 0, 1)
	if err != nil || len(page.Results) == 0 {
		return crm.Record{Values: map[string]string{}}, err
	}
	e, err := s.crm.Get(ctx, accountID, typ, idString(page.Results[0].ID), "", crm.ReadOptions{})
	return e.Record, err
}
