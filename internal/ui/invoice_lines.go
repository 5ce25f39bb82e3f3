package ui

import "net/http"

// invoiceEditor is the line items card of an invoice's page: its lines as the invoice bills
// them, editable while it is a draft and the user may collect. A finalized invoice's lines
// are read only; the invoice service refuses to change them anyway.
func (u *UI) invoiceEditor(r *http.Request, v *visit, rec loadedRecord, data invoiceData) (lineEditor, error) {
	ed, err := u.lineEditor(r, v, invoiceDocument(), rec, data.Draft && data.MayCollect)
	if err != nil {
		return lineEditor{}, err
	}
	ed.Totals, ed.Error = data.Totals, data.LinesError
	if len(data.Lines) == len(ed.Lines) {
		for i, l := range data.Lines {
			ed.Lines[i].invoiceLine = l
		}
	}
	return ed, nil
}
