package ui

import (
	"context"
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
)

// timelineEntry is one activity of a record as its timeline card says it.
type timelineEntry struct {
	Kind   string
	Text   template.HTML
	At     time.Time
	Source string
}

// Class is the entry's CSS class: timeline- and its kind, dots made dashes.
func (e timelineEntry) Class() string { return "timeline-" + strings.ReplaceAll(e.Kind, ".", "-") }

// timeline reads a record's activities, newest first, and says each in the visit's
// language: what happened, the records it involved (linked), who did it.
func (u *UI) timeline(ctx context.Context, v *visit, rec loadedRecord) ([]timelineEntry, error) {
	acts, err := u.deps.CRM.Timeline(ctx, v.Principal.AccountID, rec.Type.Name, rec.IDString())
	if err != nil {
		return nil, err
	}
	names, err := u.involved(ctx, v, acts)
	if err != nil {
		return nil, err
	}
	users, err := u.userNames(ctx, v)
	if err != nil {
		return nil, err
	}
	var out []timelineEntry
	for _, a := range acts {
		if !visibleActivity(v, a) {
			continue
		}
		out = append(out, timelineEntry{Kind: a.Kind, At: a.OccurredAt, Text: u.describe(v, rec.Schema, a, names),
			Source: u.sourceName(v, a.Source, users)})
	}
	return out, nil
}

// visibleActivity reports whether v's user may read what an activity is about: payment
// events and associations with payments need the payment permissions.
func visibleActivity(v *visit, a crm.Activity) bool {
	if paymentActivity(a) {
		return canRead(v, payment.Type)
	}
	typ, _, ok := linkedRecord(a)
	return !ok || canRead(v, typ)
}

// paymentActivity reports whether an activity is a payment's event (SPEC F15), which the
// payment and its contact, deal and company show.
func paymentActivity(a crm.Activity) bool {
	return strings.HasPrefix(a.Kind, "payment.") || strings.HasPrefix(a.Kind, "dispute.")
}

// involvedKey names a record a timeline mentions: its type and id.
type involvedKey struct {
	Type string
	ID   int64
}

// involved reads the records that the timeline's association entries name.
func (u *UI) involved(ctx context.Context, v *visit, acts []crm.Activity) (map[involvedKey]preview, error) {
	ids := map[string][]int64{}
	for _, a := range acts {
		if typ, id, ok := linkedRecord(a); ok {
			ids[typ] = append(ids[typ], id)
		}
	}
	out := map[involvedKey]preview{}
	for typ, list := range ids {
		pvs, err := u.previews(ctx, v, typ, list)
		if err != nil {
			return nil, err
		}
		for id, pv := range pvs {
			out[involvedKey{typ, id}] = pv
		}
	}
	return out, nil
}

// linkedRecord reads the record an association entry names.
func linkedRecord(a crm.Activity) (string, int64, bool) {
	typ, _ := a.Data["object_type"].(string)
	raw, _ := a.Data["object_id"].(string)
	id, err := strconv.ParseInt(raw, 10, 64)
	return typ, id, typ != "" && err == nil
}

// describe says what an activity was: "record.timeline.<kind>" with the properties changed
// or the record associated; a kind the catalogs do not know shows as itself.
func (u *UI) describe(v *visit, sch crm.Schema, a crm.Activity, names map[involvedKey]preview) template.HTML {
	key := "record.timeline." + a.Kind
	if !u.text.Has(v.Lang, key) {
		return template.HTML(html.EscapeString(u.text.T(v.Lang, "record.timeline.other", "kind", a.Kind)))
	}
	switch a.Kind {
	case "updated":
		return template.HTML(html.EscapeString(u.text.T(v.Lang, key, "properties", propertyLabels(v, sch, a))))
	case "associated", "dissociated":
		return withLink(u.text.T(v.Lang, key), u.involvedName(v, a, names))
	}
	if paymentActivity(a) {
		return u.describePayment(v, key, a)
	}
	return template.HTML(html.EscapeString(u.text.T(v.Lang, key)))
}

// describePayment says a payment's event with its amount, linked to the payment from other
// records' timelines, and the status it left the payment in.
func (u *UI) describePayment(v *visit, key string, a crm.Activity) template.HTML {
	raw, _ := a.Data["amount"].(string)
	cur, _ := a.Data["currency"].(string)
	id, _ := a.Data["payment_id"].(string)
	status, _ := a.Data["status"].(string)
	pv := preview{Title: raw + " " + cur}
	if amount, err := money.ParseDecimal(raw, cur); err == nil {
		pv.Title = amount.Format(v.Lang)
	}
	if a.ObjectType != payment.Type && id != "" {
		pv.URL = paymentKind.RecordPath(id)
	}
	return withLink(u.text.T(v.Lang, key, "status", u.statusLabel(v.Lang, status)), pv)
}

// propertyLabels lists the properties an update wrote, by their labels.
func propertyLabels(v *visit, sch crm.Schema, a crm.Activity) string {
	list, _ := a.Data["properties"].([]any)
	labels := make([]string, 0, len(list))
	for _, item := range list {
		name, _ := item.(string)
		if p, ok := sch.Lookup(name); ok {
			labels = append(labels, p.Label.In(v.Lang))
		} else {
			labels = append(labels, name)
		}
	}
	return strings.Join(labels, ", ")
}

// involvedName is the record an association entry names: linked when it can be opened, its
// type and id when it is no longer there.
func (u *UI) involvedName(v *visit, a crm.Activity, names map[involvedKey]preview) preview {
	typ, id, _ := linkedRecord(a)
	if pv, ok := names[involvedKey{typ, id}]; ok {
		return pv
	}
	label := typ
	if t, err := u.deps.CRM.Types().Lookup(typ); err == nil {
		label = t.Label.In(v.Lang)
	}
	return preview{ID: id, Title: label + " " + strconv.FormatInt(id, 10)}
}

// withLink fills the {name} of a catalog text with a record's name, linked to its page when
// it has one; the text and the name are escaped.
func withLink(text string, pv preview) template.HTML {
	name := html.EscapeString(pv.Title)
	if pv.URL != "" {
		name = `<a href="` + html.EscapeString(pv.URL) + `">` + name + `</a>`
	}
	parts := strings.Split(text, "{name}")
	for i := range parts {
		parts[i] = html.EscapeString(parts[i])
	}
	return template.HTML(strings.Join(parts, name))
}

// userNames maps the account's user ids to how the timeline names them.
func (u *UI) userNames(ctx context.Context, v *visit) (map[string]string, error) {
	users, err := u.deps.Auth.Users(ctx, v.Principal.AccountID)
	out := map[string]string{}
	for _, usr := range users {
		name := usr.Name
		if name == "" {
			name = usr.Email
		}
		out["userId:"+strconv.FormatInt(usr.ID, 10)] = name
	}
	return out, err
}

// sourceName says who or what wrote an activity: a user of the account, the API, or Settle.
func (u *UI) sourceName(v *visit, src crm.Source, users map[string]string) string {
	if name, ok := users[src.ID]; ok && src.Type == "CRM_UI" {
		return u.text.T(v.Lang, "record.timeline.by_user", "user", name)
	}
	if key := "record.timeline.source." + strings.ToLower(src.Type); u.text.Has(v.Lang, key) {
		return u.text.T(v.Lang, key)
	}
	return ""
}
