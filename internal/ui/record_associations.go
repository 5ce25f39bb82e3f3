package ui

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// cardSize is how many associated records a card shows.
const cardSize = 50

// findSize is how many records the add form offers to choose from.
const findSize = 10

// assocCard is a record's associations with one type: a preview of each with its labels and,
// for a user who may change them, forms to edit the labels or remove it and a form to add an
// existing record.
type assocCard struct {
	Type  string
	Label string
	// Self is the page of the record the card is on, which its forms post under.
	Self  string
	Items []assocItem
	// More is set when the record has more associations than the card shows.
	More bool
	// Editable shows the forms; a card without them is a list.
	Editable bool
	// Single is set when the record has at most one associated record of the type: adding
	// one replaces the one it has (SPEC F25).
	Single bool
	// Labels are the add form's choices, the unlabelled association first.
	Labels []labelChoice
	// Adding opens the add form: ?add= names the card, or its post was refused. Found are the
	// records matching Query that are not associated yet.
	Adding bool
	Query  string
	Found  []preview
	Error  string
}

// Replacing reports whether adding a record replaces the one the card shows.
func (c assocCard) Replacing() bool { return c.Single && len(c.Items) > 0 }

// assocItem is one associated record, with its labels and the choices of its label editor.
type assocItem struct {
	preview
	Labels  []string
	Choices []labelChoice
}

// labelChoice is an association type as a form offers it.
type labelChoice struct {
	TypeID  int
	Label   string
	Checked bool
}

// addField is the form field on which a refused add form shows its error.
const addField = "add"

// associationCards lays out a live record's associations: a card for each type its kind
// shows that the user may read, those of whenAny only when the record has some.
func (u *UI) associationCards(r *http.Request, v *visit, k recordKind, rec loadedRecord, f *form) ([]assocCard, error) {
	var cards []assocCard
	for _, to := range append(slices.Clone(k.cards), k.whenAny...) {
		if !canRead(v, to) {
			continue
		}
		card, err := u.associationCard(r, v, rec, to, f, canWrite(v, rec.Type.Name) && canWrite(v, to))
		if err != nil {
			return nil, err
		}
		if slices.Contains(k.cards, to) || len(card.Items) > 0 {
			cards = append(cards, card)
		}
	}
	return cards, nil
}

func (u *UI) associationCard(r *http.Request, v *visit, rec loadedRecord, to string, f *form, editable bool) (assocCard, error) {
	ctx, acct := r.Context(), v.Principal.AccountID
	toType, err := u.deps.CRM.Types().Lookup(to)
	if err != nil {
		return assocCard{}, err
	}
	types, err := u.deps.CRM.AssociationTypes(ctx, acct, rec.Type.Name, to)
	if err != nil {
		return assocCard{}, err
	}
	page, err := u.deps.CRM.Associations(ctx, acct, rec.Type.Name, rec.IDString(), to, 0, cardSize)
	if err != nil {
		return assocCard{}, err
	}
	card := assocCard{Type: to, Label: toType.PluralLabel.In(v.Lang), More: page.Next != 0, Editable: editable,
		Single: crm.AtMostOne(rec.Type.Name, to), Labels: u.labelChoices(v, types, nil, true)}
	if card.Single {
		card.Label = toType.Label.In(v.Lang)
	}
	if k, ok := kindOf(rec.Type.Name); ok {
		card.Self = k.RecordPath(rec.IDString())
	}
	linked := make([]int64, len(page.Results))
	for i, a := range page.Results {
		linked[i] = a.ID
	}
	pvs, err := u.associatedPreviews(ctx, v, rec, to, linked)
	if err != nil {
		return assocCard{}, err
	}
	for _, a := range page.Results {
		pv, ok := pvs[a.ID]
		if !ok {
			pv = preview{ID: a.ID, Title: toType.Label.In(v.Lang) + " " + strconv.FormatInt(a.ID, 10)}
		}
		item := assocItem{preview: pv, Labels: u.labelNames(v, a.Types)}
		if editable {
			item.Choices = u.labelChoices(v, types, a.Types, false)
		}
		card.Items = append(card.Items, item)
	}
	if !editable {
		return card, nil
	}
	return card, u.openAddForm(ctx, v, &card, r, f, linked)
}

// associatedPreviews reads the records of a type associated with rec in one search, and
// those the search leaves out (past its limit) one by one.
func (u *UI) associatedPreviews(ctx context.Context, v *visit, rec loadedRecord, to string, ids []int64) (map[int64]preview, error) {
	res, err := u.deps.CRM.Search(ctx, v.Principal.AccountID, to, crm.SearchRequest{Limit: crm.MaxSearchLimit,
		FilterGroups: []crm.FilterGroup{{Filters: []crm.Filter{{PropertyName: "associations." + rec.Type.Name,
			Operator: "IN", Values: []string{rec.IDString()}}}}}})
	if err != nil {
		return nil, err
	}
	fm, out := u.formats(v), map[int64]preview{}
	for _, r := range res.Results {
		out[r.ID] = fm.preview(r)
	}
	var missing []int64
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			missing = append(missing, id)
		}
	}
	more, err := u.previews(ctx, v, to, missing)
	maps.Copy(out, more)
	return out, err
}

// openAddForm fills the add form of a card that ?add= names, or whose post was refused,
// with the records to choose from.
func (u *UI) openAddForm(ctx context.Context, v *visit, card *assocCard, r *http.Request, f *form, linked []int64) error {
	q := r.URL.Query()
	switch {
	case q.Get("add") == card.Type:
		card.Adding, card.Query = true, truncateQuery(strings.TrimSpace(q.Get("q")))
	case r.PostForm.Get("to_type") == card.Type && f.Error(addField) != "":
		card.Adding, card.Query, card.Error = true, truncateQuery(strings.TrimSpace(r.PostForm.Get("q"))), f.Error(addField)
	default:
		return nil
	}
	found, err := u.findRecords(ctx, v, card.Type, card.Query)
	for _, pv := range found {
		if !slices.Contains(linked, pv.ID) {
			card.Found = append(card.Found, pv)
		}
	}
	return err
}

// findRecords returns the records of a type that a query names: by id when it is a number,
// and by the type's search text; with no query, the first records of the type.
func (u *UI) findRecords(ctx context.Context, v *visit, typeName, query string) ([]preview, error) {
	acct, fm := v.Principal.AccountID, u.formats(v)
	var recs []crm.Record
	if query == "" {
		page, err := u.deps.CRM.List(ctx, acct, typeName, crm.ListOptions{Limit: findSize})
		for _, e := range page.Results {
			recs = append(recs, e.Record)
		}
		return previewsOf(fm, recs), err
	}
	if _, err := strconv.ParseInt(query, 10, 64); err == nil {
		rec, err := u.deps.CRM.Get(ctx, acct, typeName, query, "", crm.ReadOptions{})
		if err != nil && !errors.Is(err, problem.ErrNotFound) {
			return nil, err
		}
		if err == nil {
			recs = append(recs, rec.Record)
		}
	}
	res, err := u.deps.CRM.Search(ctx, acct, typeName, crm.SearchRequest{Query: query, Limit: findSize})
	for _, rec := range res.Results {
		if len(recs) == 0 || rec.ID != recs[0].ID {
			recs = append(recs, rec)
		}
	}
	return previewsOf(fm, recs), err
}

func previewsOf(fm formats, recs []crm.Record) []preview {
	out := make([]preview, len(recs))
	for i, rec := range recs {
		out[i] = fm.preview(rec)
	}
	return out
}

// labelName is how people read an association type: its label, Settle's own in their
// language, and nothing for the unlabelled default.
func (u *UI) labelName(v *visit, t crm.AssociationType) string {
	switch {
	case t.Default:
		return ""
	case t.Category == crm.CategoryBuiltin && t.Label == "Primary":
		return u.text.T(v.Lang, "record.assoc.primary")
	}
	return t.Label
}

func (u *UI) labelNames(v *visit, types []crm.AssociationType) []string {
	var out []string
	for _, t := range types {
		if name := u.labelName(v, t); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// labelChoices offers the association types between two kinds, the ones in current checked;
// withDefault offers the unlabelled type too, first.
func (u *UI) labelChoices(v *visit, types, current []crm.AssociationType, withDefault bool) []labelChoice {
	var out []labelChoice
	for _, t := range types {
		name := u.labelName(v, t)
		if name == "" && !withDefault {
			continue
		}
		if name == "" {
			name = u.text.T(v.Lang, "record.assoc.no_label")
		}
		has := slices.ContainsFunc(current, func(c crm.AssociationType) bool { return c.TypeID == t.TypeID })
		out = append(out, labelChoice{TypeID: t.TypeID, Label: name, Checked: has})
	}
	return out
}
