package invoice

import (
	"bytes"
	"strconv"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/money"
)

// The page, in millimetres: A4 with 15 mm margins, and the bottom 20 mm kept for the
// footer.
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	margin       = 15.0
	contentWidth = pageWidth - 2*margin
	bottomMargin = 20.0
	fontFamily   = "go"
)

var (
	ink   = colour{33, 37, 41}
	muted = colour{108, 117, 125}
	rule  = colour{222, 226, 230}
)

// renderer draws one Document on one fpdf document.
type renderer struct {
	pdf     *fpdf.Fpdf
	doc     Document
	cat     *i18n.Catalog
	pages   int // the page count footers print, 0 when not yet known
	accent  colour
	numbers *message.Printer
}

func newRenderer(doc Document, cat *i18n.Catalog, pages int) *renderer {
	pdf := fpdf.New("P", "mm", "A4", "")
	r := &renderer{pdf: pdf, doc: doc, cat: cat, pages: pages, accent: accentColour(doc.Seller.Colour),
		numbers: message.NewPrinter(language.Make(doc.Language))}
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, bottomMargin)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(doc.IssueDate)
	pdf.SetModificationDate(doc.IssueDate)
	pdf.SetLang(doc.Language)
	pdf.SetCreator("Settle", false)
	pdf.SetTitle(oneLine(r.t("invoice.pdf.title")+" "+doc.Number), true)
	pdf.SetAuthor(oneLine(doc.Seller.CompanyName), true)
	pdf.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	if len(doc.Seller.LogoPNG) > 0 {
		pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(doc.Seller.LogoPNG))
	}
	pdf.SetHeaderFuncMode(r.pageHeader, false)
	pdf.SetFooterFunc(r.footer)
	return r
}

// t is the catalog's text for key in the document's language.
func (r *renderer) t(key string, args ...any) string {
	return r.cat.T(r.doc.Language, key, args...)
}

// amount writes a in the document's language; a zero amount with no currency is taken in
// the document's.
func (r *renderer) amount(a money.Amount) string {
	if a.Currency == "" {
		a.Currency = r.doc.Total.Currency
	}
	return a.Format(r.doc.Language)
}

func (r *renderer) quantity(n int64) string { return r.numbers.Sprintf("%d", n) }

func (r *renderer) font(style string, size float64, c colour) {
	r.pdf.SetFont(fontFamily, style, size)
	r.pdf.SetTextColor(c.r, c.g, c.b)
}

// text prints s on one line in a cell of width w, aligned "L", "C" or "R", and moves right.
func (r *renderer) text(w, h float64, s, align string) {
	r.pdf.CellFormat(w, h, oneLine(s), "", 0, align, false, 0, "")
}

// wrapped prints s in a block of width w starting at the left margin, wrapping it and
// keeping its line breaks, and moves below it.
func (r *renderer) wrapped(w, h float64, s string) {
	r.pdf.MultiCell(w, h, clean(s), "", "L", false)
}

// accentText is the accent colour when text in it reads on white, and ink otherwise.
func (r *renderer) accentText() colour {
	if r.accent.light() {
		return ink
	}
	return r.accent
}

// onAccent is the colour of text printed on an accent background.
func (r *renderer) onAccent() colour {
	if r.accent.light() {
		return ink
	}
	return colour{255, 255, 255}
}

func (r *renderer) fill(c colour) { r.pdf.SetFillColor(c.r, c.g, c.b) }

// bottom is the lowest point content may reach on a page.
func (r *renderer) bottom() float64 { return pageHeight - bottomMargin }

// ensureSpace starts a new page unless h millimetres are left on this one, and reports
// whether it did.
func (r *renderer) ensureSpace(h float64) bool {
	if r.pdf.GetY()+h <= r.bottom() {
		return false
	}
	r.pdf.AddPage()
	return true
}

// pageHeader draws the accent bar atop every page and, from the second page on, a running
// line naming the seller and the invoice.
func (r *renderer) pageHeader() {
	r.fill(r.accent)
	r.pdf.Rect(0, 0, pageWidth, 4, "F")
	if r.pdf.PageNo() == 1 {
		return
	}
	r.font("", 8.5, muted)
	r.pdf.SetXY(margin, 8)
	r.text(contentWidth/2, 5, r.doc.Seller.CompanyName, "L")
	r.text(contentWidth/2, 5, r.t("invoice.pdf.title")+" "+r.doc.Number, "R")
	r.pdf.SetY(18)
}

// footer draws the seller's name and "Page n of N" at the bottom of every page.
func (r *renderer) footer() {
	y := pageHeight - 13
	r.pdf.SetDrawColor(rule.r, rule.g, rule.b)
	r.pdf.Line(margin, y, margin+contentWidth, y)
	total := "…"
	if r.pages > 0 {
		total = strconv.Itoa(r.pages)
	}
	r.font("", 8, muted)
	r.pdf.SetXY(margin, y+2)
	r.text(contentWidth/2, 5, r.doc.Seller.CompanyName, "L")
	r.text(contentWidth/2, 5, r.t("invoice.pdf.page", "page", r.pdf.PageNo(), "total", total), "R")
}
