package ui

import (
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// sellingPath is where the dashboard's selling pages live: the buyer's pages own /pay/,
// /invoices/ and /quotes/, so the merchant's invoices and quotes are kept apart from them.
const sellingPath = "/selling"

// sellingKinds are the CRM kinds of selling (SPEC F1) that have the generic record pages:
// products stand alone; quotes and invoices show who they are for and their payments.
func sellingKinds() []recordKind {
	parties := []string{"contacts", "companies", "deals"}
	return []recordKind{
		{Type: "products", slug: "selling/products"},
		{Type: "quotes", slug: "selling/quotes", cards: parties, whenAny: []string{payment.Type}},
		{Type: invoiceKindType, slug: "selling/invoices", cards: parties, whenAny: []string{payment.Type}},
	}
}

// sellingRoutes are the pages of selling that are not generic record pages: payment links,
// the actions and PDF of an invoice, the line items of invoices and quotes, and publishing a
// quote.
func (u *UI) sellingRoutes() []route {
	links := linksPath
	inv := invoiceKind().Path() + "/{id}"
	return append([]route{
		{"GET " + links, u.signedIn(u.linksPage)},
		{"POST " + links, u.signedIn(u.createLink)},
		{"GET " + links + "/new", u.signedIn(u.newLinkPage)},
		{"GET " + links + "/{id}", u.signedIn(u.linkPage)},
		{"POST " + links + "/{id}", u.signedIn(u.saveLink)},
		{"POST " + links + "/{id}/deactivate", u.signedIn(u.setLinkActive(false))},
		{"POST " + links + "/{id}/reactivate", u.signedIn(u.setLinkActive(true))},
		{"GET " + inv + "/pdf", u.signedIn(u.invoicePDF)},
		{"POST " + inv + "/finalize", u.signedIn(u.invoiceAction(actionFinalize))},
		{"POST " + inv + "/void", u.signedIn(u.invoiceAction(actionVoid))},
		{"POST " + inv + "/mark-uncollectible", u.signedIn(u.invoiceAction(actionUncollectible))},
		{"POST " + inv + "/send", u.signedIn(u.invoiceAction(actionSend))},
		{"POST " + inv + "/payments", u.signedIn(u.invoiceAction(actionRecord))},
	}, u.lineItemRoutes()...)
}

// mayCollect refuses a user who may not move money: finalizing, voiding, sending an invoice
// and recording a payment on it need the permission refunds need (SPEC F41).
func mayCollect(v *visit) error {
	if !v.Principal.Has(auth.PermManagePayments) {
		return problem.Forbidden("collecting on invoices needs %s", auth.PermManagePayments)
	}
	return nil
}
