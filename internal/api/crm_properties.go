package api

import (
	"net/http"
	"time"

	"golang.org/x/text/language"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// PropertyJSON is a property definition as the CRM API shows it.
type PropertyJSON struct {
	Name                 string               `json:"name"`
	Label                string               `json:"label"`
	Type                 string               `json:"type"`
	FieldType            string               `json:"fieldType"`
	Description          string               `json:"description"`
	GroupName            string               `json:"groupName"`
	Options              []OptionJSON         `json:"options"`
	DisplayOrder         int                  `json:"displayOrder"`
	Calculated           bool                 `json:"calculated"`
	ExternalOptions      bool                 `json:"externalOptions"`
	HasUniqueValue       bool                 `json:"hasUniqueValue"`
	Hidden               bool                 `json:"hidden"`
	HubspotDefined       bool                 `json:"hubspotDefined"`
	FormField            bool                 `json:"formField"`
	Archived             bool                 `json:"archived"`
	ModificationMetadata ModificationMetadata `json:"modificationMetadata"`
	CreatedAt            *time.Time           `json:"createdAt,omitempty"`
	UpdatedAt            *time.Time           `json:"updatedAt,omitempty"`
}

// OptionJSON is one option of an enumeration.
type OptionJSON struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	Description  string `json:"description"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// ModificationMetadata says what may change about a property.
type ModificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// PropertyCreate is the body that adds a custom property. It takes every field of the CRM's
// PropertyCreate; unique values, external options, references and calculations must be off.
type PropertyCreate struct {
	Name                 string       `json:"name"`
	Label                string       `json:"label"`
	Type                 string       `json:"type"`
	FieldType            string       `json:"fieldType,omitempty"`
	GroupName            string       `json:"groupName,omitempty"`
	Description          string       `json:"description,omitempty"`
	Options              []OptionJSON `json:"options,omitempty"`
	DisplayOrder         int          `json:"displayOrder,omitempty"`
	Hidden               bool         `json:"hidden,omitempty"`
	FormField            bool         `json:"formField,omitempty"`
	HasUniqueValue       bool         `json:"hasUniqueValue,omitempty"`
	ExternalOptions      bool         `json:"externalOptions,omitempty"`
	ReferencedObjectType string       `json:"referencedObjectType,omitempty"`
	CalculationFormula   string       `json:"calculationFormula,omitempty"`
}

// PropertyPatch changes a custom property. Type, when given, must be the property's type.
type PropertyPatch struct {
	Label              *string       `json:"label,omitempty"`
	Type               *string       `json:"type,omitempty"`
	FieldType          *string       `json:"fieldType,omitempty"`
	GroupName          *string       `json:"groupName,omitempty"`
	Description        *string       `json:"description,omitempty"`
	Options            *[]OptionJSON `json:"options,omitempty"`
	DisplayOrder       *int          `json:"displayOrder,omitempty"`
	Hidden             *bool         `json:"hidden,omitempty"`
	FormField          *bool         `json:"formField,omitempty"`
	CalculationFormula *string       `json:"calculationFormula,omitempty"`
}

// unsupported reports the features of the CRM's property definitions that Settle's custom
// properties do not have, when a request turns them on.
func (c PropertyCreate) unsupported() error {
	inv := &problem.InvalidError{Summary: "The property is not valid"}
	if c.HasUniqueValue {
		inv.Add("hasUniqueValue", "UNSUPPORTED", "Custom properties cannot require unique values.")
	}
	if c.ExternalOptions || c.ReferencedObjectType != "" {
		inv.Add("externalOptions", "UNSUPPORTED", "Custom properties cannot take their options from another object type.")
	}
	if c.CalculationFormula != "" {
		inv.Add("calculationFormula", "UNSUPPORTED", "Custom properties cannot be calculated.")
	}
	return inv.OrNil()
}

func (a *API) crmPropertyRoutes() []Route {
	const path = "/crm/v3/properties/{objectType}"
	return []Route{
		{Method: "GET", Path: path, Access: Authenticated, Tag: "CRM properties", Summary: "List a type's properties (labels in the Accept-Language)",
			Response: list[PropertyJSON]{}, Status: 200, handle: a.listProperties},
		{Method: "POST", Path: path, Scope: auth.ScopeSchemasWrite, Tag: "CRM properties", Summary: "Add a custom property",
			Request: PropertyCreate{}, Response: PropertyJSON{}, Status: 201, handle: a.createProperty},
		{Method: "GET", Path: path + "/{propertyName}", Access: Authenticated, Tag: "CRM properties", Summary: "Read a property",
			Response: PropertyJSON{}, Status: 200, handle: a.getProperty},
		{Method: "PATCH", Path: path + "/{propertyName}", Scope: auth.ScopeSchemasWrite, Tag: "CRM properties", Summary: "Change a custom property",
			Request: PropertyPatch{}, Response: PropertyJSON{}, Status: 200, handle: a.patchProperty},
		{Method: "DELETE", Path: path + "/{propertyName}", Scope: auth.ScopeSchemasWrite, Tag: "CRM properties", Summary: "Archive a custom property",
			Status: 204, handle: a.archiveProperty},
	}
}

func propertyJSON(p crm.Property, lang string) PropertyJSON {
	out := PropertyJSON{Name: p.Name, Label: p.Label.In(lang), Type: string(p.Type), FieldType: p.FieldType, Description: p.Description,
		GroupName: p.Group, Options: []OptionJSON{}, DisplayOrder: p.DisplayOrder, HasUniqueValue: p.Unique, HubspotDefined: !p.Custom,
		Hidden: p.Hidden, FormField: !p.ReadOnly, Archived: p.Archived,
		ModificationMetadata: ModificationMetadata{Archivable: p.Custom, ReadOnlyDefinition: !p.Custom, ReadOnlyValue: p.ReadOnly}}
	for _, o := range p.Options {
		out.Options = append(out.Options, OptionJSON{Label: o.Label.In(lang), Value: o.Value, Description: o.Description,
			DisplayOrder: o.DisplayOrder, Hidden: o.Hidden})
	}
	return out
}

// labelLanguages are the languages property labels are written in, English first.
var labelLanguages = []language.Tag{language.English, language.French, language.German, language.Spanish}

// labelLanguage is the language of labels: the Accept-Language header's best match.
func labelLanguage(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := language.NewMatcher(labelLanguages).Match(tags...)
	if conf == language.No {
		return "en"
	}
	return []string{"en", "fr", "de", "es"}[i]
}

func (a *API) listProperties(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	props, err := a.deps.CRM.Properties(r.Context(), p.AccountID, t.Name, r.URL.Query().Get("archived") == "true")
	if err != nil {
		return err
	}
	lang := labelLanguage(r)
	out := list[PropertyJSON]{Results: make([]PropertyJSON, len(props))}
	for i, prop := range props {
		out.Results[i] = propertyJSON(prop, lang)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) getProperty(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	name := r.PathValue("propertyName")
	var prop crm.Property
	if r.URL.Query().Get("archived") == "true" {
		prop, err = a.archivedProperty(r, p, t.Name, name)
	} else {
		prop, err = a.deps.CRM.Property(r.Context(), p.AccountID, t.Name, name)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, propertyJSON(prop, labelLanguage(r)))
	return nil
}

// archivedProperty finds an archived custom property, as getByName with archived=true asks.
func (a *API) archivedProperty(r *http.Request, p auth.Principal, typeName, name string) (crm.Property, error) {
	props, err := a.deps.CRM.Properties(r.Context(), p.AccountID, typeName, true)
	if err != nil {
		return crm.Property{}, err
	}
	for _, prop := range props {
		if prop.Name == name {
			return prop, nil
		}
	}
	return crm.Property{}, problem.NotFound("archived property %q", name)
}

func (a *API) createProperty(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	var body PropertyCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	if err := body.unsupported(); err != nil {
		return err
	}
	prop, err := a.deps.CRM.CreateProperty(r.Context(), p.AccountID, t.Name, crm.PropertyInput{Name: body.Name, Label: body.Label,
		Type: crm.Type(body.Type), FieldType: body.FieldType, Group: body.GroupName, Description: body.Description,
		Options: options(body.Options), DisplayOrder: body.DisplayOrder, Hidden: body.Hidden})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, propertyJSON(prop, "en"))
	return nil
}

func options(in []OptionJSON) []crm.Option {
	out := make([]crm.Option, len(in))
	for i, o := range in {
		out[i] = crm.Option{Value: o.Value, Label: crm.Labels{En: o.Label}, Description: o.Description, DisplayOrder: o.DisplayOrder,
			Hidden: o.Hidden}
	}
	return out
}

func (a *API) patchProperty(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	var body PropertyPatch
	if err := decode(r, &body); err != nil {
		return err
	}
	if body.CalculationFormula != nil && *body.CalculationFormula != "" {
		return problem.Invalid("calculationFormula", "UNSUPPORTED", "Custom properties cannot be calculated.")
	}
	up := crm.PropertyUpdate{Label: body.Label, Description: body.Description, Group: body.GroupName, FieldType: body.FieldType,
		DisplayOrder: body.DisplayOrder, Hidden: body.Hidden}
	if body.Type != nil {
		typ := crm.Type(*body.Type)
		up.Type = &typ
	}
	if body.Options != nil {
		opts := options(*body.Options)
		up.Options = &opts
	}
	prop, err := a.deps.CRM.UpdateProperty(r.Context(), p.AccountID, t.Name, r.PathValue("propertyName"), up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, propertyJSON(prop, "en"))
	return nil
}

func (a *API) archiveProperty(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	if err := a.deps.CRM.ArchiveProperty(r.Context(), p.AccountID, t.Name, r.PathValue("propertyName")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
