package ui

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// recordKind is a CRM object type with pages of its own: an index at /<path> and a page per
// record at /<path>/{id}. The pages are the same code for every kind, driven by its schema.
type recordKind struct {
	// Type is the CRM object type's name, which is also its path unless slug says otherwise.
	Type string
	slug string
	// cards are the types whose associations the record's page shows, one card each, in
	// order; a type in whenAny gets its card only when the record has some.
	cards, whenAny []string
}

// crmTypes are the CRM kinds whose records people create in the dashboard.
var crmTypes = []string{"contacts", "companies", "deals"}

// recordKinds lists the CRM kinds that have index, create and archive pages, in the
// navigation's order. Each CRM kind shows the other ones, and payments when it has any;
// then come the kinds of selling.
func recordKinds() []recordKind {
	var out []recordKind
	for _, t := range crmTypes {
		k := recordKind{Type: t, whenAny: []string{payment.Type}}
		for _, other := range crmTypes {
			if other != t {
				k.cards = append(k.cards, other)
			}
		}
		out = append(out, k)
	}
	return append(out, sellingKinds()...)
}

// paymentKind is the payment record (SPEC F23): its pages are its own, but its
// associations and timeline are the CRM pages' code. A payment has one contact, company,
// deal and invoice; its line items and subscriptions are listed, not edited.
var paymentKind = recordKind{Type: payment.Type, slug: "payments", cards: []string{"contacts", "companies", "deals", "invoices"}}

// kindOf returns the kind of a CRM type, when it has pages.
func kindOf(typeName string) (recordKind, bool) {
	kinds := append(recordKinds(), paymentKind)
	i := slices.IndexFunc(kinds, func(k recordKind) bool { return k.Type == typeName })
	if i < 0 {
		return recordKind{}, false
	}
	return kinds[i], true
}

// Path is the kind's index.
func (k recordKind) Path() string { return "/" + cmp.Or(k.slug, k.Type) }

// RecordPath is the page of one record.
func (k recordKind) RecordPath(id string) string { return k.Path() + "/" + id }

// associated reports whether the kind's pages show associations with type to.
func (k recordKind) associated(to string) bool {
	return slices.Contains(k.cards, to) || slices.Contains(k.whenAny, to)
}

// nameProperties name a record to a person, joined by a space; a type not listed here is
// named by its display property.
var nameProperties = map[string][]string{
	"contacts":          {"firstname", "lastname"},
	"commerce_payments": {"hs_initial_amount"},
}

func titleProperties(t *crm.ObjectType) []string {
	if names, ok := nameProperties[t.Name]; ok {
		return names
	}
	return []string{t.Display}
}

// keyProperties are the properties, besides its name, that say the most about a record: the
// type's default properties that are not system ones.
func keyProperties(sch crm.Schema) []crm.Property {
	var out []crm.Property
	for _, name := range sch.Defaults {
		p, ok := sch.Lookup(name)
		if ok && p.Group != "system" && !slices.Contains(titleProperties(sch.ObjectType), name) {
			out = append(out, p)
		}
	}
	return out
}

// title names a record: its name properties, its display property, or its type and id.
func (f formats) title(rec crm.Record) string {
	var parts []string
	for _, name := range titleProperties(rec.Type) {
		if p, ok := rec.Type.Property(name); ok {
			if v := f.value(p, rec); v != "" {
				parts = append(parts, v)
			}
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	if v := rec.Values[rec.Type.Display]; v != "" {
		return v
	}
	return rec.Type.Label.In(f.lang) + " " + rec.IDString()
}

// preview is a record as a line of a list shows it: its name, a detail, and a link to its
// page when its type has pages.
type preview struct {
	ID            int64
	Title, Detail string
	URL           string
}

func (f formats) preview(rec crm.Record) preview {
	pv := preview{ID: rec.ID, Title: f.title(rec)}
	if k, ok := kindOf(rec.Type.Name); ok && rec.ArchivedAt == nil {
		pv.URL = k.RecordPath(rec.IDString())
	}
	names := titleProperties(rec.Type)
	candidates := append(slices.Clone(rec.Type.Defaults), rec.Type.Display)
	for _, name := range candidates {
		p, ok := rec.Type.Property(name)
		if !ok || p.Group == "system" || slices.Contains(names, name) {
			continue
		}
		if v := f.value(p, rec); v != "" && v != pv.Title {
			pv.Detail = v
			break
		}
	}
	return pv
}

// previews reads the live records of a type by id, for lists that show them by name.
// Records not found (archived since, or gone) are left out.
func (u *UI) previews(ctx context.Context, v *visit, typeName string, ids []int64) (map[int64]preview, error) {
	f := u.formats(v)
	out := map[int64]preview{}
	for _, id := range ids {
		if _, done := out[id]; done {
			continue
		}
		rec, err := u.deps.CRM.Get(ctx, v.Principal.AccountID, typeName, strconv.FormatInt(id, 10), "", crm.ReadOptions{})
		if errors.Is(err, problem.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = f.preview(rec.Record)
	}
	return out, nil
}

// source is who writes through the dashboard, as the property history and timeline say.
func source(v *visit) crm.Source {
	return crm.Source{Type: "CRM_UI", ID: "userId:" + strconv.FormatInt(v.Principal.UserID, 10)}
}

// pathID reads a record id from the path: a positive number, or the record is not found.
func pathID(value string) (string, error) {
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || id <= 0 {
		return "", problem.NotFound("record %q", value)
	}
	return strconv.FormatInt(id, 10), nil
}
