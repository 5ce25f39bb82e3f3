package ui

import (
	"net/http"
)

// archiveData is the confirmation of archiving a record.
type archiveData struct {
	Kind  recordKind
	ID    string
	Title string
}

// archiveRecordPage asks to confirm archiving a record.
func (u *UI) archiveRecordPage(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		rec, err := u.pathRecord(r, v, k, false)
		if err != nil {
			return err
		}
		title := u.formats(v).title(rec.Record)
		return u.render(w, r, v, view{name: "record_archive", Title: "record.archive.title", Heading: title, Section: k.Path(),
			Data: archiveData{Kind: k, ID: rec.IDString(), Title: title}})
	}
}

// archiveRecord moves a record out of the lists and searches; its page can restore it.
func (u *UI) archiveRecord(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		rec, err := u.pathRecord(r, v, k, false)
		if err != nil {
			return err
		}
		if err := u.deps.CRM.Archive(r.Context(), v.Principal.AccountID, k.Type, rec.IDString(), source(v)); err != nil {
			return err
		}
		return redirect(w, r, k.Path(), "record_archived")
	}
}

// restoreRecord brings an archived record back. A live record with the same unique values
// (a contact's email) prevents it, which the record's page says.
func (u *UI) restoreRecord(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		rec, err := u.pathRecord(r, v, k, true)
		if err != nil {
			return err
		}
		if rec.ArchivedAt == nil {
			return redirect(w, r, k.RecordPath(rec.IDString()), "")
		}
		_, err = u.deps.CRM.Restore(r.Context(), v.Principal.AccountID, k.Type, rec.IDString(), source(v))
		f := newForm(propertyValues(rec.Schema, rec.Values))
		if status, ok := u.formFailure(v.Lang, "record", f, err, "record.error.restore_conflict"); ok {
			vw, err := u.recordView(r, v, k, rec, f, status)
			if err != nil {
				return err
			}
			return u.render(w, r, v, vw)
		}
		if err != nil {
			return err
		}
		return redirect(w, r, k.RecordPath(rec.IDString()), "record_restored")
	}
}
