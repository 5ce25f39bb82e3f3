package ui

import (
	"maps"
	"net/url"
	"slices"
	"strings"
)

// form is a page's form as the user last saw it: the values typed (or stored), the message
// for each field that was refused and a message about the whole form.
type form struct {
	values  url.Values
	errors  map[string]string
	Message string
}

func newForm(values url.Values) *form {
	if values == nil {
		values = url.Values{}
	}
	return &form{values: values, errors: map[string]string{}}
}

// Value is the last value of a field, so that a checkbox after its hidden "0" wins.
func (f *form) Value(name string) string {
	if f == nil || len(f.values[name]) == 0 {
		return ""
	}
	vs := f.values[name]
	return vs[len(vs)-1]
}

// On reports whether a switch (a checkbox of value 1) is on.
func (f *form) On(name string) bool { return f.Value(name) == "1" }

// Has reports whether a multi-valued field (a group of checkboxes) holds value.
func (f *form) Has(name, value string) bool {
	return f != nil && slices.Contains(f.values[name], value)
}

// Error is the message for a field, or "".
func (f *form) Error(name string) string {
	if f == nil {
		return ""
	}
	return f.errors[name]
}

// firstError is the message of the first field refused, by name, for a form that shows no
// field to put it next to.
func (f *form) firstError() string {
	if f == nil || len(f.errors) == 0 {
		return ""
	}
	names := slices.Sorted(maps.Keys(f.errors))
	return f.errors[names[0]]
}

// Invalid reports whether any field or the form itself was refused.
func (f *form) Invalid() bool { return f != nil && (len(f.errors) > 0 || f.Message != "") }

// refuse records why a field was refused; a field refused twice shows both reasons.
func (f *form) refuse(field, message string) {
	if prev := f.errors[field]; prev != "" && !strings.Contains(prev, message) {
		message = prev + " " + message
	}
	f.errors[field] = message
}

// forget clears a field, so that a password is never sent back to the browser.
func (f *form) forget(name string) { f.values.Del(name) }

// present returns a pointer to a field's trimmed value when the form carries the field, and
// nil when it does not, so that a field left out of a post leaves its setting unchanged.
func present(values url.Values, name string) *string {
	vs, ok := values[name]
	if !ok || len(vs) == 0 {
		return nil
	}
	v := strings.TrimSpace(vs[len(vs)-1])
	return &v
}

// presentSwitch is present for a switch: a hidden "0" followed by a checkbox "1".
func presentSwitch(values url.Values, name string) *bool {
	v := present(values, name)
	if v == nil {
		return nil
	}
	on := *v == "1"
	return &on
}
