package ui

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// associationTarget reads the type an association form is about: one whose card the
// kind's page shows, which v's user may change.
func associationTarget(v *visit, k recordKind, to string) (string, error) {
	if !k.associated(to) {
		return "", problem.NotFound("association with %q", to)
	}
	return to, mayWrite(v, to)
}

// addAssociation associates the record with an existing one, unlabelled or with the label
// chosen. A refused choice shows on the card's add form.
func (u *UI) addAssociation(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if err := mayWrite(v, k.Type); err != nil {
			return err
		}
		rec, err := u.pathRecord(r, v, k, false)
		if err != nil {
			return err
		}
		to, err := associationTarget(v, k, r.PostForm.Get("to_type"))
		if err != nil {
			return err
		}
		err = u.associate(r.Context(), v, rec, to, r.PostForm.Get("to_id"), r.PostForm.Get("type_id"))
		f := newForm(propertyValues(rec.Schema, rec.Values))
		if status, ok := u.formFailure(v.Lang, "record", f, err, ""); ok {
			vw, err := u.layout(k)(r, v, rec, f, status)
			if err != nil {
				return err
			}
			return u.render(w, r, v, vw)
		}
		if err != nil {
			return err
		}
		return redirect(w, r, k.RecordPath(rec.IDString()), "associated")
	}
}

// associate checks the add form's choice — a live record of the account, one of the labels
// offered — and writes the association, with the unlabelled type beside any label.
func (u *UI) associate(ctx context.Context, v *visit, rec loadedRecord, to, toID, typeID string) error {
	acct, toID := v.Principal.AccountID, strings.TrimSpace(toID)
	if toID == "" {
		return problem.Invalid(addField, "REQUIRED", "choose a record")
	}
	if _, err := u.deps.CRM.Get(ctx, acct, to, toID, "", crm.ReadOptions{}); errors.Is(err, problem.ErrNotFound) {
		return problem.Invalid(addField, "RECORD_NOT_FOUND", "no such record")
	} else if err != nil {
		return err
	}
	types, err := u.deps.CRM.AssociationTypes(ctx, acct, rec.Type.Name, to)
	if err != nil {
		return err
	}
	want, err := chosenTypes(types, []string{typeID})
	if err != nil {
		return err
	}
	_, err = u.deps.CRM.Associate(ctx, acct, rec.Type.Name, rec.IDString(), to, toID, specs(want), source(v))
	return err
}

// chosenTypes reads the association types a form chose, by id, with the unlabelled default
// that every association keeps. An id not offered is refused.
func chosenTypes(types []crm.AssociationType, ids []string) ([]crm.AssociationType, error) {
	out := []crm.AssociationType{types[0]}
	for _, raw := range ids {
		if raw == "" {
			continue
		}
		id, _ := strconv.Atoi(raw)
		i := slices.IndexFunc(types, func(t crm.AssociationType) bool { return t.TypeID == id })
		if i < 0 {
			return nil, problem.Invalid(addField, "INVALID_ASSOCIATION_TYPE", "choose one of the labels offered")
		}
		if !slices.ContainsFunc(out, func(t crm.AssociationType) bool { return t.TypeID == id }) {
			out = append(out, types[i])
		}
	}
	return out, nil
}

func specs(types []crm.AssociationType) []crm.AssociationSpec {
	out := make([]crm.AssociationSpec, len(types))
	for i, t := range types {
		out[i] = crm.AssociationSpec{Category: t.Category, TypeID: t.TypeID}
	}
	return out
}

// pathAssociation reads the {type} and {to} of an association's URL: a record of the
// account associated with rec, with the types that link them.
func (u *UI) pathAssociation(r *http.Request, v *visit, k recordKind, rec loadedRecord) (string, string, []crm.AssociationType, error) {
	to, err := associationTarget(v, k, r.PathValue("type"))
	if err != nil {
		return "", "", nil, err
	}
	toID, err := pathID(r.PathValue("to"))
	if err != nil {
		return "", "", nil, err
	}
	n, _ := strconv.ParseInt(toID, 10, 64)
	page, err := u.deps.CRM.Associations(r.Context(), v.Principal.AccountID, rec.Type.Name, rec.IDString(), to, n-1, 1)
	if err != nil {
		return "", "", nil, err
	}
	if len(page.Results) == 0 || page.Results[0].ID != n {
		return "", "", nil, problem.NotFound("association of %s %s with %s %s", rec.Type.Name, rec.IDString(), to, toID)
	}
	return to, toID, page.Results[0].Types, nil
}

// saveAssociationLabels applies a label editor: the labels checked are added, the others
// removed; the unlabelled association stays.
func (u *UI) saveAssociationLabels(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if err := mayWrite(v, k.Type); err != nil {
			return err
		}
		rec, err := u.pathRecord(r, v, k, false)
		if err != nil {
			return err
		}
		to, toID, current, err := u.pathAssociation(r, v, k, rec)
		if err != nil {
			return err
		}
		ctx, acct := r.Context(), v.Principal.AccountID
		types, err := u.deps.CRM.AssociationTypes(ctx, acct, rec.Type.Name, to)
		if err != nil {
			return err
		}
		want, err := chosenTypes(types, r.PostForm["type_id"])
		if err != nil {
			return err
		}
		if add := missingTypes(want, current); len(add) > 0 {
			if _, err := u.deps.CRM.Associate(ctx, acct, rec.Type.Name, rec.IDString(), to, toID, specs(add), source(v)); err != nil {
				return err
			}
		}
		if drop := missingTypes(current, want); len(drop) > 0 {
			if err := u.deps.CRM.RemoveAssociationLabels(ctx, acct, rec.Type.Name, rec.IDString(), to, toID, specs(drop)); err != nil {
				return err
			}
		}
		return redirect(w, r, k.RecordPath(rec.IDString()), "labels_saved")
	}
}

// missingTypes returns the types of a that b lacks.
func missingTypes(a, b []crm.AssociationType) []crm.AssociationType {
	var out []crm.AssociationType
	for _, t := range a {
		if !slices.ContainsFunc(b, func(o crm.AssociationType) bool { return o.TypeID == t.TypeID }) {
			out = append(out, t)
		}
	}
	return out
}

// removeAssociation removes every association between the record and another.
func (u *UI) removeAssociation(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if err := mayWrite(v, k.Type); err != nil {
			return err
		}
		rec, err := u.pathRecord(r, v, k, false)
		if err != nil {
			return err
		}
		to, toID, _, err := u.pathAssociation(r, v, k, rec)
		if err != nil {
			return err
		}
		err = u.deps.CRM.Dissociate(r.Context(), v.Principal.AccountID, rec.Type.Name, rec.IDString(), to, toID, source(v))
		if err != nil {
			return err
		}
		return redirect(w, r, k.RecordPath(rec.IDString()), "association_removed")
	}
}
