package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/settlehq/settle/internal/checkout"
)

// paySource is what a buyer's checkout form pays, as the form needs it: a payment link, an
// invoice or a quote.
type paySource struct {
	// Type is the checkout's source type; ID the link's slug or the invoice's or quote's
	// public token.
	Type, ID  string
	AccountID int64
	// Path is the page's path: its form posts there, and its receipts are under it. It also
	// binds the form's CSRF token and the receipt to this page.
	Path string
	// Quantity and Address say whether the form asks for a quantity and a billing address.
	Quantity, Address bool
	Methods           []checkout.Method
}

// linkSource is the checkout form of a payment link.
func linkSource(l checkout.Link) paySource {
	return paySource{Type: checkout.SourcePaymentLink, ID: l.Slug, AccountID: l.AccountID, Path: "/pay/" + l.Slug,
		Quantity: l.AllowQuantity, Address: l.CollectBillingAddress, Methods: l.Methods}
}

// cookiePath is where the browser sends the buyer cookie for src's pages: the path without
// the slug or token, such as /pay/ or /quotes/.
func (src paySource) cookiePath() string { return strings.TrimSuffix(src.Path, src.ID) }

// payForm is the checkout form a buyer page shows, as the buyer_pay_form template draws it.
type payForm struct {
	Action, CSRF      string
	Quantity, Address bool
	Methods           []methodOption
	// Title is the catalog key of the form's heading; Submit that of its button, which
	// says Amount.
	Title          string
	Submit, Amount string
}

// methodOption is a payment method the buyer may choose.
type methodOption struct {
	Value   string
	Label   string
	Checked bool
}

// payForm is the checkout form of src with f's values, its button saying submit with the
// amount it pays.
func (b *buyerSite) payForm(w http.ResponseWriter, r *http.Request, lang string, src paySource, f *form, submit, amount string) *payForm {
	p := &payForm{Action: src.Path + langQuery(r), CSRF: checkoutToken(b.ui.buyerSecret(w, r, src.cookiePath()), src.Path),
		Quantity: src.Quantity, Address: src.Address, Title: "buyer.pay.title", Submit: submit, Amount: amount}
	for _, m := range src.Methods {
		p.Methods = append(p.Methods, methodOption{Value: string(m), Label: b.ui.text.T(lang, "buyer.method."+string(m)),
			Checked: f.Value("method") == string(m) || len(src.Methods) == 1})
	}
	return p
}

// firstMethod is a new form of src with its first method chosen.
func firstMethod(src paySource) *form {
	values := url.Values{}
	if len(src.Methods) > 0 {
		values.Set("method", string(src.Methods[0]))
	}
	return newForm(values)
}
