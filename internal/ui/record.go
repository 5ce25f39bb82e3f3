package ui

import (
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// recordData is a record's page: its name and key facts, its properties grouped for the
// edit form, and, while it is live, its associations and timeline.
type recordData struct {
	Kind      recordKind
	ID        string
	Title     string
	Initial   string
	TypeLabel string
	Facts     []fact
	Groups    []fieldGroup
	Archived  bool
	Cards     []assocCard
	Timeline  []timelineEntry
}

// fact is a labelled value at the top of a record's page.
type fact struct {
	Label, Value string
}

// loadedRecord is a record of the signed-in account with its schema.
type loadedRecord struct {
	crm.Record
	Schema crm.Schema
}

// pathRecord reads the record of the {id} in the path, live or, when archived is set,
// archived too; another account's id is not found.
func (u *UI) pathRecord(r *http.Request, v *visit, k recordKind, archived bool) (loadedRecord, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return loadedRecord{}, err
	}
	ctx, acct := r.Context(), v.Principal.AccountID
	sch, err := u.deps.CRM.Schema(ctx, acct, k.Type)
	if err != nil {
		return loadedRecord{}, err
	}
	rec, err := u.deps.CRM.Get(ctx, acct, k.Type, id, "", crm.ReadOptions{})
	if errors.Is(err, problem.ErrNotFound) && archived {
		rec, err = u.deps.CRM.Get(ctx, acct, k.Type, id, "", crm.ReadOptions{Archived: true})
	}
	return loadedRecord{Record: rec.Record, Schema: sch}, err
}

// recordPage shows a record, live or archived.
func (u *UI) recordPage(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		rec, err := u.pathRecord(r, v, k, true)
		if err != nil {
			return err
		}
		vw, err := u.layout(k)(r, v, rec, nil, http.StatusOK)
		if err != nil {
			return err
		}
		return u.render(w, r, v, vw)
	}
}

// recordView lays out a record's page with f as its properties form (the stored values when
// f is nil).
func (u *UI) recordView(r *http.Request, v *visit, k recordKind, rec loadedRecord, f *form, status int) (view, error) {
	fm := u.formats(v)
	if f == nil {
		f = newForm(propertyValues(rec.Schema, rec.Values))
	}
	data := recordData{Kind: k, ID: rec.IDString(), Title: fm.title(rec.Record), TypeLabel: rec.Type.Label.In(v.Lang),
		Groups: fm.groups(rec.Schema, f, rec.Record), Archived: rec.ArchivedAt != nil}
	data.Initial = initial(data.Title)
	for _, p := range keyProperties(rec.Schema) {
		if val := fm.value(p, rec.Record); val != "" {
			data.Facts = append(data.Facts, fact{Label: p.Label.In(v.Lang), Value: val})
		}
	}
	if !data.Archived {
		var err error
		if data.Cards, err = u.associationCards(r, v, k, rec, f); err != nil {
			return view{}, err
		}
		if data.Timeline, err = u.timeline(r.Context(), v, rec); err != nil {
			return view{}, err
		}
	}
	return view{name: "record", Status: status, Title: "nav." + k.Type, Heading: data.Title, Section: k.Path(),
		Form: f, Data: data}, nil
}

// layoutFunc lays out a record's page with f as its properties form, for the handlers that
// show it again with what was refused.
type layoutFunc func(r *http.Request, v *visit, rec loadedRecord, f *form, status int) (view, error)

// layout is how a kind's record page is laid out: the payment record has its own panel, and
// an invoice's page adds its own.
func (u *UI) layout(k recordKind) layoutFunc {
	switch k.Type {
	case paymentKind.Type:
		return u.paymentView
	case invoiceKindType:
		return u.invoiceView
	case quoteType:
		return u.quoteView
	}
	return func(r *http.Request, v *visit, rec loadedRecord, f *form, status int) (view, error) {
		return u.recordView(r, v, k, rec, f, status)
	}
}

// saveRecord applies the properties form. Only the values the user changed are written;
// refused values show next to their fields and nothing is written.
func (u *UI) saveRecord(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if err := mayWrite(v, k.Type); err != nil {
			return err
		}
		rec, err := u.pathRecord(r, v, k, false)
		if err != nil {
			return err
		}
		posted := postedProperties(r.PostForm)
		if changes := changedProperties(rec.Schema, posted, rec.Values); len(changes) > 0 {
			_, err = u.deps.CRM.Update(r.Context(), v.Principal.AccountID, k.Type, rec.IDString(), "", changes, source(v))
		}
		f := newForm(propertyValues(rec.Schema, rec.Values))
		for name, value := range posted {
			f.values.Set(name, value)
		}
		if status, ok := u.formFailure(v.Lang, "record", f, err, "record.error.conflict"); ok {
			vw, err := u.layout(k)(r, v, rec, f, status)
			if err != nil {
				return err
			}
			return u.render(w, r, v, vw)
		}
		if err != nil {
			return err
		}
		return redirect(w, r, k.RecordPath(rec.IDString()), "saved")
	}
}

// initial is the first letter of a name, upper-cased, for a record's avatar.
func initial(name string) string {
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return strings.ToUpper(string(r))
		}
	}
	return "#"
}
