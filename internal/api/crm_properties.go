package api

import (
	"net/http"
	"time"

	"golang.org/x/text/language"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
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
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// ModificationMetadata says what may change about a property.
type ModificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// PropertyCreate is the body that adds a custom property.
type PropertyCreate struct {
	Name         string       `json:"name"`
	Label        string       `json:"label"`
	Type         string       `json:"type"`
	FieldType    string       `json:"fieldType,omitempty"`
	GroupName    string       `json:"groupName,omitempty"`
	Description  string       `json:"description,omitempty"`
	Options      []OptionJSON `json:"options,omitempty"`
	DisplayOrder int          `json:"displayOrder,omitempty"`
	Hidden       bool         `json:"hidden,omitempty"`
	FormField    bool         `json:"formField,omitempty"`
}

// PropertyPatch changes a custom property.
type PropertyPatch struct {
	Label        *string       `json:"label,omitempty"`
	FieldType    *string       `json:"fieldType,omitempty"`
	GroupName    *string       `json:"groupName,omitempty"`
	Description  *string       `json:"description,omitempty"`
	Options      *[]OptionJSON `json:"options,omitempty"`
	DisplayOrder *int          `json:"displayOrder,omitempty"`
	Hidden       *bool         `json:"hidden,omitempty"`
	FormField    *bool         `json:"formField,omitempty"`
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
		FormField: !p.ReadOnly, Archived: p.Archived,
		ModificationMetadata: ModificationMetadata{Archivable: p.Custom, ReadOnlyDefinition: !p.Custom, ReadOnlyValue: p.ReadOnly}}
	for _, o := range p.Options {
		out.Options = append(out.Options, OptionJSON{Label: o.Label.In(lang), Value: o.Value, DisplayOrder: o.DisplayOrder, Hidden: o.Hidden})
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
	prop, err := a.deps.CRM.Property(r.Context(), p.AccountID, t.Name, r.PathValue("propertyName"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, propertyJSON(prop, labelLanguage(r)))
	return nil
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
		out[i] = crm.Option{Value: o.Value, Label: crm.Labels{En: o.Label}, DisplayOrder: o.DisplayOrder, Hidden: o.Hidden}
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
	up := crm.PropertyUpdate{Label: body.Label, Description: body.Description, Group: body.GroupName, FieldType: body.FieldType,
		DisplayOrder: body.DisplayOrder, Hidden: body.Hidden}
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
