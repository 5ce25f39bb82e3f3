package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/problem"
)

// The link editor works without JavaScript: it shows a few empty lines, and "Add a line" or
// a line's "Remove" submits the form, which comes back with one line more or less and
// nothing saved. Lines left empty are ignored.
const (
	// newLinkRows is how many empty lines a new link's form shows.
	newLinkRows = 3
	// maxLinkRows is the most lines the form shows: as many as a link may hold.
	maxLinkRows = 100
)

// linkFormData is a payment link's editor: a new link's, or an existing one's with its public
// address and whether it takes payments.
type linkFormData struct {
	Link       *checkout.Link
	Action     string
	PublicURL  string
	Status     statusBadge
	Rows       []lineRow
	Currencies []fieldOption
	Methods    []fieldOption
	Intervals  []fieldOption
}

// lineRow is a line of the editor. Its fields are named as the API names them, with the
// line's index: line_items[1].unit_amount.
type lineRow struct {
	Index int
	f     *form
}

// Name is the form name of one of the line's fields.
func (l lineRow) Name(field string) string {
	return fmt.Sprintf("%s[%d].%s", lineItemsField, l.Index, field)
}

// ID is the HTML id of one of the line's fields.
func (l lineRow) ID(field string) string {
	return fmt.Sprintf("l%d-%s", l.Index, strings.NewReplacer(".", "-", "_", "-").Replace(field))
}

// Value is what the line's field holds.
func (l lineRow) Value(field string) string { return l.f.Value(l.Name(field)) }

// Error is why the line's field was refused, or "".
func (l lineRow) Error(field string) string { return l.f.Error(l.Name(field)) }

// Number counts lines from 1, for people.
func (l lineRow) Number() int { return l.Index + 1 }

// newLinkPage shows the editor of a new link: in the account's default currency, paid by card.
func (u *UI) newLinkPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(url.Values{"currency": {v.Account.DefaultCurrency}, "payment_methods": {string(checkout.MethodCard)},
		"rows": {strconv.Itoa(newLinkRows)}})
	return u.render(w, r, v, u.linkView(v, nil, f, http.StatusOK))
}

// linkPage shows an existing link's editor.
func (u *UI) linkPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	l, err := u.pathLink(r, v)
	if err != nil {
		return err
	}
	return u.render(w, r, v, u.linkView(v, &l, newForm(linkValues(l)), http.StatusOK))
}

// createLink creates a link from the editor and opens its page.
func (u *UI) createLink(w http.ResponseWriter, r *http.Request, v *visit) error {
	return u.submitLink(w, r, v, nil)
}

// saveLink applies the editor to the link of the path.
func (u *UI) saveLink(w http.ResponseWriter, r *http.Request, v *visit) error {
	l, err := u.pathLink(r, v)
	if err != nil {
		return err
	}
	return u.submitLink(w, r, v, &l)
}

// submitLink answers a post of the editor of l (nil for a new link): a line added or removed
// shows the form again; otherwise the link is saved, or what was refused is shown next to
// its field and nothing is written.
func (u *UI) submitLink(w http.ResponseWriter, r *http.Request, v *visit, l *checkout.Link) error {
	values := cloneForm(r.PostForm)
	values.Del(csrfField)
	f := newForm(values)
	if editRows(values) {
		return u.render(w, r, v, u.linkView(v, l, f, http.StatusOK))
	}
	in, rows, err := readLink(values)
	var saved checkout.Link
	if err == nil {
		saved, err = u.saveLinkInput(r, v, l, in)
		err = formItemFields(err, rows)
	}
	if u.linkFailure(v.Lang, f, err) {
		return u.render(w, r, v, u.linkView(v, l, f, http.StatusBadRequest))
	}
	if err != nil {
		return err
	}
	notice := "link_saved"
	if l == nil {
		notice = "link_created"
	}
	return redirect(w, r, linkPath(saved.ID), notice)
}

// saveLinkInput creates a link, or replaces what the editor shows of l.
func (u *UI) saveLinkInput(r *http.Request, v *visit, l *checkout.Link, in checkout.LinkInput) (checkout.Link, error) {
	if l == nil {
		return u.deps.Checkout.Create(r.Context(), v.Principal.AccountID, in)
	}
	return u.deps.Checkout.Update(r.Context(), v.Principal.AccountID, l.ID, checkout.LinkPatch{Name: &in.Name, Items: in.Items,
		Methods: in.Methods, AllowQuantity: &in.AllowQuantity, CollectBillingAddress: &in.CollectBillingAddress})
}

// linkView lays out the editor of l (nil for a new link) with f.
func (u *UI) linkView(v *visit, l *checkout.Link, f *form, status int) view {
	data := linkFormData{Link: l, Action: linksPath}
	title, heading := "links.new", ""
	if l != nil {
		data.Action, data.PublicURL, data.Status = linkPath(l.ID), u.deps.Checkout.URL(*l), u.linkStatus(v.Lang, *l)
		title, heading = "links.edit", l.Name
	}
	for i := range rowCount(f.values) {
		data.Rows = append(data.Rows, lineRow{Index: i, f: f})
	}
	currencies := slices.Clone(v.Account.Currencies)
	if c := f.Value("currency"); c != "" && !slices.Contains(currencies, c) {
		currencies = append(currencies, c)
	}
	for _, c := range currencies {
		data.Currencies = append(data.Currencies, fieldOption{Value: c, Label: c, Selected: c == f.Value("currency")})
	}
	for _, m := range checkout.Methods {
		data.Methods = append(data.Methods, fieldOption{Value: string(m), Label: u.text.T(v.Lang, "links.method."+string(m)),
			Selected: f.Has("payment_methods", string(m))})
	}
	for _, iv := range intervals {
		data.Intervals = append(data.Intervals, fieldOption{Value: iv, Label: u.text.T(v.Lang, "links.interval."+cmpOr(iv, "none"))})
	}
	return view{name: "link", Status: status, Title: title, Heading: heading, Section: linksPath, Form: f, Data: data}
}

func cmpOr(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// rowCount is how many lines the editor shows: its "rows" field, within bounds.
func rowCount(values url.Values) int {
	n, err := strconv.Atoi(values.Get("rows"))
	if err != nil {
		n = newLinkRows
	}
	return min(max(n, 1), maxLinkRows)
}

// editRows applies "Add a line" or a line's "Remove" to values and reports whether the post
// was one of them.
func editRows(values url.Values) bool {
	n := rowCount(values)
	_, adding := values["add_line"]
	removing, err := strconv.Atoi(values.Get("remove_line"))
	removed := values.Has("remove_line") && err == nil && removing >= 0 && removing < n
	values.Del("add_line")
	values.Del("remove_line")
	switch {
	case adding:
		n = min(n+1, maxLinkRows)
	case removed:
		for i := removing; i < n; i++ {
			for _, field := range append(lineFields, keptLineFields...) {
				next := values[fmt.Sprintf("%s[%d].%s", lineItemsField, i+1, field)]
				values[fmt.Sprintf("%s[%d].%s", lineItemsField, i, field)] = next
			}
		}
		n = max(n-1, 1)
	default:
		return false
	}
	values.Set("rows", strconv.Itoa(n))
	return true
}

// linkFailure shows on f what the checkout service or the form's reading refused, each
// message next to its field, or above the form for a field it does not show. It reports
// whether err was such a refusal.
func (u *UI) linkFailure(lang string, f *form, err error) bool {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return false
	}
	for _, fe := range inv.Fields {
		generic := lineIndex.ReplaceAllString(fe.Field, lineItemsField+".")
		msg := u.fieldMessage(lang, "link", problem.FieldError{Field: generic, Code: fe.Code}, "most", maxLinkRows)
		if !slices.Contains(linkFields, generic) {
			f.Message = strings.TrimSpace(f.Message + " " + msg)
			continue
		}
		f.refuse(fe.Field, msg)
	}
	return true
}

// lineIndex finds the index in a line's field path.
var lineIndex = regexp.MustCompile(`^line_items\[\d+\]\.`)

// linkFields are the fields the editor shows, lines' fields without their index.
var linkFields = func() []string {
	out := []string{"name", "currency", "payment_methods", lineItemsField}
	for _, f := range lineFields {
		out = append(out, lineItemsField+"."+f)
	}
	return out
}()

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
