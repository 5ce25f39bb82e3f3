package invoice

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/money"
)

// ErrInvalidDocument means a Document lacks something every invoice PDF prints, or holds
// something that cannot be drawn; the wrapping error names the field.
var ErrInvalidDocument = errors.New("invalid invoice document")

// DefaultColour is the accent colour of an invoice whose branding has none, or one that is
// not written #RRGGBB: Settle's own blue.
const DefaultColour = "#1F4FD1"

// Document is everything an invoice PDF shows, already decided: WritePDF adds no amounts
// and looks nothing up, so the PDF prints exactly the figures the invoice stores. Text
// from users (names, addresses, descriptions, notes) is drawn as plain text, never
// interpreted.
type Document struct {
	// Language is the catalog language the labels, dates and amounts are written in
	// ("en", "fr", "de", "es"); any other prints in i18n.Default.
	Language string
	// Number is the invoice's number, such as "INV-2026-0042". It is required.
	Number string
	// Status is the invoice's state: "draft", "paid" and "void" print a stamp under the
	// title; any other state, such as "open", prints none.
	Status string
	// IssueDate is the day the invoice was issued, printed in the location it carries. It
	// is required, and it also dates the PDF itself, which keeps the file reproducible.
	IssueDate time.Time
	// DueDate is the day payment is due; the zero time leaves it out.
	DueDate time.Time
	// Seller is the account's branding, printed in the header.
	Seller Branding
	// Buyer is who the invoice is addressed to, printed under "Bill to".
	Buyer Recipient
	// Lines are the table's rows, in order. The table runs onto further pages, its
	// header repeated, when they do not fit on one.
	Lines []DocumentLine
	// Subtotal, Discount, Tax and Total are the invoice's totals, printed as given.
	// Discount and Tax are left out when zero. Total decides the document's currency:
	// every other amount must be in it, or be zero.
	Subtotal, Discount, Tax, Total money.Amount
	// AmountPaid is what has been paid so far, and BalanceDue what is left to pay.
	AmountPaid, BalanceDue money.Amount
	// Notes is free text printed after the totals; line breaks are kept.
	Notes string
}

// Branding is how the seller presents itself on its documents.
type Branding struct {
	// CompanyName is printed large in the header and small in every page's footer.
	CompanyName string
	// Address is the seller's postal address, one line per element.
	Address []string
	// LogoPNG is the logo, a PNG, JPEG or GIF image printed (as a PNG) in the header's corner
	// when not empty.
	LogoPNG []byte
	// Colour is the accent colour of bars and headings, written #RRGGBB; anything else
	// falls back to DefaultColour.
	Colour string
}

// Recipient is the person or business an invoice is billed to.
type Recipient struct {
	Name  string
	Email string
	// Address is the postal address, one line per element.
	Address []string
}

// DocumentLine is one row of the invoice table. Its amounts are printed as given; the
// Discount and Tax columns appear only when some line has a non-zero value in them.
type DocumentLine struct {
	// Description wraps within its column; line breaks are kept.
	Description string
	Quantity    int64
	UnitPrice   money.Amount
	Discount    money.Amount
	Tax         money.Amount
	// Total is the line's amount, printed in the last column.
	Total money.Amount
}

// WritePDF writes doc to w as an A4 PDF, with labels, dates and amounts in doc.Language
// taken from cat. Rendering the same document twice yields the same bytes. It returns an
// error wrapping ErrInvalidDocument when doc cannot be printed, and w's error when writing
// fails.
func WritePDF(w io.Writer, doc Document, cat *i18n.Catalog) error {
	if cat == nil {
		return errors.New("invoice: WritePDF needs a catalog")
	}
	if err := doc.validate(); err != nil {
		return err
	}
	if !cat.Supported(doc.Language) {
		doc.Language = i18n.Default
	}
	logo, err := printablePNG(doc.Seller.LogoPNG)
	if err != nil {
		return err
	}
	doc.Seller.LogoPNG = logo
	// Footers say "Page 1 of N", and N is known once the layout is done: a first pass
	// lays the document out to count its pages, the second prints them.
	draft, err := render(doc, cat, 0)
	if err != nil {
		return err
	}
	pdf, err := render(doc, cat, draft.PageCount())
	if err != nil {
		return err
	}
	return pdf.Output(w)
}

func (d Document) validate() error {
	if strings.TrimSpace(d.Number) == "" {
		return fmt.Errorf("%w: no number", ErrInvalidDocument)
	}
	if d.IssueDate.IsZero() {
		return fmt.Errorf("%w: no issue date", ErrInvalidDocument)
	}
	if _, err := money.Currency(d.Total.Currency); err != nil {
		return fmt.Errorf("%w: total: %w", ErrInvalidDocument, err)
	}
	for _, a := range d.amounts() {
		if a.Currency != d.Total.Currency && !(a.IsZero() && a.Currency == "") {
			return fmt.Errorf("%w: an amount in %q on an invoice in %s", ErrInvalidDocument, a.Currency, d.Total.Currency)
		}
	}
	return nil
}

// amounts lists every amount the document prints.
func (d Document) amounts() []money.Amount {
	out := []money.Amount{d.Subtotal, d.Discount, d.Tax, d.Total, d.AmountPaid, d.BalanceDue}
	for _, l := range d.Lines {
		out = append(out, l.UnitPrice, l.Discount, l.Tax, l.Total)
	}
	return out
}

// render lays doc out; pages is the page count printed in footers, 0 when not yet known.
func render(doc Document, cat *i18n.Catalog, pages int) (*fpdf.Fpdf, error) {
	r := newRenderer(doc, cat, pages)
	r.pdf.AddPage()
	r.header()
	r.billTo()
	r.table()
	r.totals()
	r.notes()
	if err := r.pdf.Error(); err != nil {
		return nil, fmt.Errorf("invoice: render PDF: %w", err)
	}
	return r.pdf, nil
}
