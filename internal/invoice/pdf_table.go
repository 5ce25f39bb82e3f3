package invoice

// The table's type sizes and spacing, in points and millimetres.
const (
	headSize    = 8.5
	bodySize    = 9.0
	headHeight  = 7.5
	lineHeight  = 4.5
	rowPadding  = 1.5
	minColumn   = 16.0
	cellPadding = 4.0
)

// column is one column of the invoice table.
type column struct {
	key   string // the catalog key of its heading, after "invoice.pdf.column."
	width float64
	value func(DocumentLine) string // nil for the description, which wraps
}

// columns are the table's columns, the description first and taking what the figures,
// each as wide as its widest text, leave. Discount and tax appear only when some line has
// one.
func (r *renderer) columns() []column {
	var discount, tax bool
	for _, l := range r.doc.Lines {
		discount = discount || !l.Discount.IsZero()
		tax = tax || !l.Tax.IsZero()
	}
	cols := []column{
		{key: "quantity", value: func(l DocumentLine) string { return r.quantity(l.Quantity) }},
		{key: "unit_price", value: func(l DocumentLine) string { return r.amount(l.UnitPrice) }},
	}
	if discount {
		cols = append(cols, column{key: "discount", value: func(l DocumentLine) string { return r.amount(l.Discount) }})
	}
	if tax {
		cols = append(cols, column{key: "tax", value: func(l DocumentLine) string { return r.amount(l.Tax) }})
	}
	cols = append(cols, column{key: "amount", value: func(l DocumentLine) string { return r.amount(l.Total) }})
	rest := contentWidth
	for i := range cols {
		cols[i].width = r.columnWidth(cols[i])
		rest -= cols[i].width
	}
	return append([]column{{key: "description", width: rest}}, cols...)
}

// columnWidth is the width of c's widest text, its heading included.
func (r *renderer) columnWidth(c column) float64 {
	r.font("B", headSize, ink)
	w := max(minColumn, r.pdf.GetStringWidth(oneLine(r.t("invoice.pdf.column."+c.key)))+cellPadding)
	r.font("", bodySize, ink)
	for _, l := range r.doc.Lines {
		w = max(w, r.pdf.GetStringWidth(oneLine(c.value(l)))+cellPadding)
	}
	return w
}

// table draws the lines, starting a new page, its heading repeated, whenever the next
// row does not fit.
func (r *renderer) table() {
	cols := r.columns()
	r.ensureSpace(headHeight + lineHeight + 2*rowPadding)
	r.tableHeading(cols)
	for _, l := range r.doc.Lines {
		r.row(cols, l)
	}
}

func (r *renderer) tableHeading(cols []column) {
	r.font("B", headSize, r.onAccent())
	r.fill(r.accent)
	r.pdf.SetX(margin)
	for i, c := range cols {
		align := "R"
		if i == 0 {
			align = "L"
		}
		r.pdf.CellFormat(c.width, headHeight, oneLine(r.t("invoice.pdf.column."+c.key)), "", 0, align, true, 0, "")
	}
	r.pdf.Ln(headHeight)
}

// row draws one line: its figures beside the description's first line, the description
// wrapped below. A description too long for one page goes on over the next.
func (r *renderer) row(cols []column, l DocumentLine) {
	r.font("", bodySize, ink)
	lines := r.pdf.SplitText(clean(l.Description), cols[0].width)
	if len(lines) == 0 {
		lines = []string{""}
	}
	height := float64(len(lines))*lineHeight + 2*rowPadding
	if height > r.bottom()-margin-headHeight {
		height = lineHeight + 2*rowPadding
	}
	if r.ensureSpace(height) {
		r.tableHeading(cols)
	}
	y := r.pdf.GetY() + rowPadding
	x := margin + cols[0].width
	r.font("", bodySize, ink)
	for _, c := range cols[1:] {
		r.pdf.SetXY(x, y)
		r.text(c.width, lineHeight, c.value(l), "R")
		x += c.width
	}
	for _, line := range lines {
		if y+lineHeight > r.bottom() {
			r.pdf.AddPage()
			r.tableHeading(cols)
			r.font("", bodySize, ink)
			y = r.pdf.GetY() + rowPadding
		}
		r.pdf.SetXY(margin, y)
		r.text(cols[0].width, lineHeight, line, "L")
		y += lineHeight
	}
	r.pdf.SetDrawColor(rule.r, rule.g, rule.b)
	r.pdf.Line(margin, y+rowPadding, margin+contentWidth, y+rowPadding)
	r.pdf.SetY(y + rowPadding)
}
