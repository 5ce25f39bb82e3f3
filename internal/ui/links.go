package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// linksPath is the payment links' index; each link's editor is under it.
const linksPath = sellingPath + "/links"

// linksPageSize is how many payment links the index lists at once.
const linksPageSize = 25

// linksData is a page of the account's payment links, newest first.
type linksData struct {
	Rows              []linkRow
	NextURL, FirstURL string
}

// linkRow is a payment link as a line of the index: its name, what one purchase comes to,
// whether it takes payments and its public address.
type linkRow struct {
	ID                           int64
	Name, EditURL, Amount        string
	Currency, PublicURL, FieldID string
	Status                       statusBadge
	Created                      time.Time
}

// linksPage lists the account's payment links page by page.
func (u *UI) linksPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	after = max(after, 0)
	links, next, err := u.deps.Checkout.List(r.Context(), v.Principal.AccountID, linksPageSize, after)
	if err != nil {
		return err
	}
	var data linksData
	for _, l := range links {
		data.Rows = append(data.Rows, linkRow{ID: l.ID, Name: l.Name, EditURL: linkPath(l.ID), Amount: linkTotal(l).Format(v.Lang),
			Currency: l.Currency, PublicURL: u.deps.Checkout.URL(l), FieldID: "link-url-" + idString(l.ID),
			Status: u.linkStatus(v.Lang, l), Created: l.CreatedAt})
	}
	if next > 0 {
		data.NextURL = linksPath + "?" + url.Values{"after": {strconv.FormatInt(next, 10)}}.Encode()
	}
	if after > 0 {
		data.FirstURL = linksPath
	}
	return u.render(w, r, v, view{name: "links", Title: "nav.payment_links", Section: linksPath, Data: data})
}

// linkPath is the editor of a link.
func linkPath(id int64) string { return linksPath + "/" + idString(id) }

// linkTotal is what one purchase through a link comes to, its first charge of every
// recurring item included.
func linkTotal(l checkout.Link) money.Amount {
	t, err := lineitem.Compute(l.Items, lineitem.Discount{})
	if err != nil {
		return money.Amount{Currency: l.Currency}
	}
	return money.Amount{Minor: t.Total, Currency: l.Currency}
}

// linkStatus says whether a link takes payments.
func (u *UI) linkStatus(lang string, l checkout.Link) statusBadge {
	if l.Active {
		return statusBadge{Label: u.text.T(lang, "links.active"), Tone: "success"}
	}
	return statusBadge{Label: u.text.T(lang, "links.inactive"), Tone: "neutral"}
}

// pathLink reads the link of the {id} in the path; another account's is not found.
func (u *UI) pathLink(r *http.Request, v *visit) (checkout.Link, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return checkout.Link{}, problem.NotFound("payment link %q", r.PathValue("id"))
	}
	return u.deps.Checkout.Get(r.Context(), v.Principal.AccountID, id)
}

// setLinkActive deactivates a link, which then takes no payment, or makes it active again.
func (u *UI) setLinkActive(active bool) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		l, err := u.pathLink(r, v)
		if err != nil {
			return err
		}
		notice := "link_reactivated"
		if active {
			_, err = u.deps.Checkout.Update(r.Context(), v.Principal.AccountID, l.ID, checkout.LinkPatch{Active: &active})
		} else {
			notice = "link_deactivated"
			_, err = u.deps.Checkout.Deactivate(r.Context(), v.Principal.AccountID, l.ID)
		}
		if err != nil {
			return err
		}
		return redirect(w, r, linkPath(l.ID), notice)
	}
}
