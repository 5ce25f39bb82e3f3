package invoice

import (
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/settlehq/settle/internal/money"
)

// The header's two blocks: the seller on the left, the title and dates on the right.
const (
	sellerWidth = 100.0
	metaX       = margin + sellerWidth + 5
	metaWidth   = contentWidth - sellerWidth - 5
	logoHeight  = 18.0
	logoWidth   = 50.0
)

// header draws the first page's seller and title blocks side by side.
func (r *renderer) header() {
	top := r.pdf.GetY()
	right := r.titleBlock(top)
	r.pdf.SetXY(margin, top)
	left := r.sellerBlock()
	r.pdf.SetY(max(left, right) + 8)
}

// sellerBlock draws the logo, company name and address from the current position, and
// returns where it ends.
func (r *renderer) sellerBlock() float64 {
	if len(r.doc.Seller.LogoPNG) > 0 {
		info := r.pdf.GetImageInfo("logo")
		w, h := logoHeight*info.Width()/info.Height(), logoHeight
		if w > logoWidth {
			w, h = logoWidth, logoWidth*info.Height()/info.Width()
		}
		r.pdf.ImageOptions("logo", margin, r.pdf.GetY(), w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		r.pdf.SetY(r.pdf.GetY() + h + 3)
	}
	r.font("B", 14, ink)
	r.wrapped(sellerWidth, 6.5, oneLine(r.doc.Seller.CompanyName))
	r.font("", 9, muted)
	for _, line := range r.doc.Seller.Address {
		r.wrapped(sellerWidth, 4.5, oneLine(line))
	}
	return r.pdf.GetY()
}

// titleBlock draws the title, status stamp, number and dates at the top right, and
// returns where it ends.
func (r *renderer) titleBlock(top float64) float64 {
	r.font("B", 22, r.accentText())
	r.pdf.SetXY(metaX, top)
	r.text(metaWidth, 10, r.t("invoice.pdf.title"), "R")
	y := top + 11
	if key := "invoice.pdf.status." + r.doc.Status; r.doc.Status != "" && r.cat.Has(r.doc.Language, key) {
		r.font("B", 9, r.accentText())
		stamp := strings.ToUpper(r.t(key))
		w := r.pdf.GetStringWidth(stamp) + 6
		r.pdf.SetXY(metaX+metaWidth-w, y)
		r.pdf.SetDrawColor(r.accentText().r, r.accentText().g, r.accentText().b)
		r.pdf.CellFormat(w, 6, oneLine(stamp), "1", 0, "C", false, 0, "")
		y += 9
	}
	rows := [][2]string{{r.t("invoice.pdf.number"), r.doc.Number}, {r.t("invoice.pdf.issue_date"), r.date(r.doc.IssueDate)}}
	if !r.doc.DueDate.IsZero() {
		rows = append(rows, [2]string{r.t("invoice.pdf.due_date"), r.date(r.doc.DueDate)})
	}
	for _, row := range rows {
		r.pdf.SetXY(metaX, y)
		r.font("", 9, muted)
		r.text(metaWidth/2, 5, row[0], "L")
		r.font("B", 9, ink)
		r.text(metaWidth/2, 5, row[1], "R")
		y += 5
	}
	return y
}

// billTo draws who the invoice is addressed to.
func (r *renderer) billTo() {
	b := r.doc.Buyer
	r.font("B", 9, r.accentText())
	r.wrapped(sellerWidth, 5, oneLine(r.t("invoice.pdf.bill_to")))
	r.font("B", 11, ink)
	r.wrapped(sellerWidth, 5.5, oneLine(b.Name))
	r.font("", 9, muted)
	for _, line := range append([]string{b.Email}, b.Address...) {
		if strings.TrimSpace(line) != "" {
			r.wrapped(sellerWidth, 4.5, oneLine(line))
		}
	}
	r.pdf.Ln(8)
}

// totalRow is one line of the totals block.
type totalRow struct {
	key    string
	amount money.Amount
	strong bool // printed bold, after a rule
	filled bool // printed on the accent colour
}

// totals draws the totals block at the right, under the table.
func (r *renderer) totals() {
	d := r.doc
	rows := []totalRow{{key: "subtotal", amount: d.Subtotal}}
	if !d.Discount.IsZero() {
		rows = append(rows, totalRow{key: "discount", amount: d.Discount})
	}
	if !d.Tax.IsZero() {
		rows = append(rows, totalRow{key: "tax", amount: d.Tax})
	}
	rows = append(rows, totalRow{key: "total", amount: d.Total, strong: true},
		totalRow{key: "amount_paid", amount: d.AmountPaid}, totalRow{key: "balance_due", amount: d.BalanceDue, strong: true, filled: true})
	const labelWidth, h = 55.0, 6.5
	r.font("B", 10, ink)
	valueWidth := 30.0
	for _, row := range rows {
		valueWidth = max(valueWidth, r.pdf.GetStringWidth(oneLine(r.amount(row.amount)))+4)
	}
	r.pdf.Ln(4)
	r.ensureSpace(float64(len(rows))*h + 2)
	x := margin + contentWidth - labelWidth - valueWidth
	for _, row := range rows {
		r.totalLine(row, x, labelWidth, valueWidth, h)
	}
}

func (r *renderer) totalLine(row totalRow, x, labelWidth, valueWidth, h float64) {
	style, c := "", ink
	if row.strong {
		style = "B"
		r.pdf.SetDrawColor(ink.r, ink.g, ink.b)
		r.pdf.Line(x, r.pdf.GetY(), x+labelWidth+valueWidth, r.pdf.GetY())
	}
	if row.filled {
		c = r.onAccent()
		r.fill(r.accent)
		r.pdf.Rect(x, r.pdf.GetY(), labelWidth+valueWidth, h, "F")
	}
	r.font(style, 10, c)
	r.pdf.SetX(x)
	r.text(labelWidth, h, r.t("invoice.pdf.total."+row.key), "L")
	r.text(valueWidth, h, r.amount(row.amount), "R")
	r.pdf.Ln(h)
}

// notes draws the document's notes, if any, under the totals.
func (r *renderer) notes() {
	if strings.TrimSpace(r.doc.Notes) == "" {
		return
	}
	r.pdf.Ln(8)
	r.ensureSpace(15)
	r.font("B", 9, r.accentText())
	r.wrapped(contentWidth, 5, oneLine(r.t("invoice.pdf.notes")))
	r.font("", 9, ink)
	r.wrapped(contentWidth, 4.5, strings.TrimSpace(r.doc.Notes))
}
