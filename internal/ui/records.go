package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// recordsPageSize is how many records an index page lists.
const recordsPageSize = 25

// maxQueryChars bounds the search box's text.
const maxQueryChars = 200

// recordsData is an index of records: a page of them, or of the matches of a search, with
// the fields of the create form.
type recordsData struct {
	Kind     recordKind
	Columns  []string
	Rows     []recordRow
	Query    string
	Archived bool
	// Total counts a search's matches, written in the visitor's language; Capped says that
	// more match than a search counts (crm.MaxSearchResults).
	Total             string
	Capped            bool
	NextURL, FirstURL string
	Create            []propertyField
}

// recordRow is a record as a line of the index: its name, linked, and its key properties.
type recordRow struct {
	preview
	Cells []string
}

// recordsPage lists a kind's records: the live ones page by page, the matches of ?q=, or
// with ?archived=1 the archived ones.
func (u *UI) recordsPage(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		vw, err := u.recordsView(r, v, k, newForm(nil), http.StatusOK)
		if err != nil {
			return err
		}
		return u.render(w, r, v, vw)
	}
}

func (u *UI) recordsView(r *http.Request, v *visit, k recordKind, f *form, status int) (view, error) {
	ctx := r.Context()
	sch, err := u.deps.CRM.Schema(ctx, v.Principal.AccountID, k.Type)
	if err != nil {
		return view{}, err
	}
	q := r.URL.Query()
	data := recordsData{Kind: k, Query: truncateQuery(strings.TrimSpace(q.Get("q"))), Archived: q.Get("archived") == "1"}
	fm := u.formats(v)
	created, _ := sch.Lookup(crm.PropCreateDate)
	columns := append(keyProperties(sch), created)
	data.Columns = append(data.Columns, u.text.T(v.Lang, "records.name"))
	for _, p := range columns {
		data.Columns = append(data.Columns, p.Label.In(v.Lang))
	}
	recs, err := u.recordsPageOf(ctx, v, k, &data, fm, q.Get("after"))
	if err != nil {
		return view{}, err
	}
	for _, rec := range recs {
		row := recordRow{preview: fm.preview(rec)}
		row.URL = k.RecordPath(rec.IDString())
		for _, p := range columns {
			row.Cells = append(row.Cells, fm.value(p, rec))
		}
		data.Rows = append(data.Rows, row)
	}
	for _, p := range createProperties(sch) {
		data.Create = append(data.Create, fm.field(p, f.Value(p.Name), f.Error(p.Name), crm.Record{}))
	}
	return view{name: "records", Status: status, Title: "nav." + k.Type, Section: k.Path(), Form: f, Data: data}, nil
}

// recordsPageOf reads the page of records data asks for and sets the links to the next and
// first pages.
func (u *UI) recordsPageOf(ctx context.Context, v *visit, k recordKind, data *recordsData, fm formats, after string) ([]crm.Record, error) {
	acct := v.Principal.AccountID
	link := func(cursor string) string {
		q := url.Values{"after": {cursor}}
		if data.Query != "" {
			q.Set("q", data.Query)
		}
		if data.Archived {
			q.Set("archived", "1")
		}
		return k.Path() + "?" + q.Encode()
	}
	if data.Query != "" && !data.Archived {
		offset, _ := strconv.Atoi(after)
		offset = max(0, min(offset, crm.MaxSearchResults-recordsPageSize))
		res, err := u.deps.CRM.Search(ctx, acct, k.Type, crm.SearchRequest{Query: data.Query, Limit: recordsPageSize, After: offset})
		if err != nil {
			return nil, err
		}
		data.Total, data.Capped = fm.count(res.Total), res.Capped
		if res.Next > 0 {
			data.NextURL = link(strconv.Itoa(res.Next))
		}
		if offset > 0 {
			data.FirstURL = link("0")
		}
		return res.Results, nil
	}
	cursor, _ := strconv.ParseInt(after, 10, 64)
	page, err := u.deps.CRM.List(ctx, acct, k.Type, crm.ListOptions{Limit: recordsPageSize, After: max(cursor, 0),
		ReadOptions: crm.ReadOptions{Archived: data.Archived}})
	if err != nil {
		return nil, err
	}
	if page.Next > 0 {
		data.NextURL = link(strconv.FormatInt(page.Next, 10))
	}
	if cursor > 0 {
		data.FirstURL = link("0")
	}
	recs := make([]crm.Record, len(page.Results))
	for i, e := range page.Results {
		recs[i] = e.Record
	}
	return recs, nil
}

// count writes a number of records with the language's digit grouping (10,000; 10 000).
func (f formats) count(n int) string {
	return message.NewPrinter(language.Make(f.lang)).Sprint(n)
}

func truncateQuery(q string) string {
	if r := []rune(q); len(r) > maxQueryChars {
		return string(r[:maxQueryChars])
	}
	return q
}

// createProperties are the fields of the create form: the type's default properties that
// people write.
func createProperties(sch crm.Schema) []crm.Property {
	var out []crm.Property
	for _, name := range sch.Defaults {
		if p, ok := sch.Lookup(name); ok && !p.ReadOnly {
			out = append(out, p)
		}
	}
	return out
}

// createRecord creates a record from the index's form and opens its page; refused values
// show next to their fields and nothing is written.
func (u *UI) createRecord(k recordKind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		props := map[string]string{}
		for name, value := range postedProperties(r.PostForm) {
			if value != "" {
				props[name] = value
			}
		}
		var err error = errEmptyRecord
		var rec crm.Record
		if len(props) > 0 {
			rec, err = u.deps.CRM.Create(r.Context(), v.Principal.AccountID, k.Type, crm.Input{Properties: props}, source(v))
		}
		f := newForm(formValues(postedProperties(r.PostForm)))
		if status, ok := u.formFailure(v.Lang, "record", f, err, "record.error.conflict"); ok {
			vw, err := u.recordsView(r, v, k, f, status)
			if err != nil {
				return err
			}
			return u.render(w, r, v, vw)
		}
		if err != nil {
			return err
		}
		return redirect(w, r, k.RecordPath(rec.IDString()), "record_created")
	}
}

// errEmptyRecord refuses a create form left empty.
var errEmptyRecord = problem.Invalid("", "EMPTY_RECORD", "Fill in at least one field.")

// formValues turns property values into form values.
func formValues(props map[string]string) url.Values {
	out := url.Values{}
	for name, value := range props {
		out.Set(name, value)
	}
	return out
}
