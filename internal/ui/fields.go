package ui

import (
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/auth"
)

// input is a labelled text field as the "input" template draws it.
type input struct {
	ID, Name, Type, Label, Hint, Value, Error, Autocomplete string
	MaxLength, Max                                          int
	Required                                                bool
}

// DescribedBy lists the ids of the hint and error that explain the field.
func (in input) DescribedBy() string {
	var ids []string
	if in.Hint != "" {
		ids = append(ids, in.ID+"-hint")
	}
	if in.Error != "" {
		ids = append(ids, in.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Input describes a field of the page's form: its name, the catalog key of its label and
// options written key=value — type=email, hint=<catalog key>, autocomplete=…, maxlength=N,
// max=N (a number from 1 to N) — or required.
func (p *page) Input(name, labelKey string, opts ...string) input {
	in := input{ID: fieldID(name), Name: name, Type: "text", Label: p.T(labelKey),
		Value: p.Form.Value(name), Error: p.Form.Error(name)}
	for _, opt := range opts {
		key, value, _ := strings.Cut(opt, "=")
		switch key {
		case "type":
			in.Type = value
		case "hint":
			in.Hint = p.T(value, "min", auth.MinPasswordLen)
		case "autocomplete":
			in.Autocomplete = value
		case "maxlength":
			in.MaxLength, _ = strconv.Atoi(value)
		case "max":
			in.Type = "number"
			in.Max, _ = strconv.Atoi(value)
		case "required":
			in.Required = true
		}
	}
	return in
}

// fieldID is the HTML id of a form field: its name with dots made dashes, behind "f-".
func fieldID(name string) string { return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(name) }

// FieldID is fieldID for templates that draw a field by hand (selects, radios, switches).
func (p *page) FieldID(name string) string { return fieldID(name) }
