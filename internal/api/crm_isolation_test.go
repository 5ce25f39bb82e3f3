package api_test

import (
	"context"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/crm"
)

// crmIsolation gives account A a contact linked to a company, an archived contact, a custom
// property and an association label, and returns the CRM routes' isolation cases (each run
// with account B's token) and a check that A's records came through unchanged.
func crmIsolation(t *testing.T, a *apptest.App) (map[string]apptest.Scenario, func(*testing.T)) {
	t.Helper()
	ctx := context.Background()
	src := crm.Source{Type: "API", ID: "test"}
	mustCreate := func(typ string, props map[string]string) crm.Record {
		r, err := a.CRM.Create(ctx, a.Account.ID, typ, crm.Input{Properties: props}, src)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := a.CRM.CreateProperty(ctx, a.Account.ID, "contacts", crm.PropertyInput{Name: "a_secret", Label: "A secret", Type: crm.String}); err != nil {
		t.Fatal(err)
	}
	contact := mustCreate("contacts", map[string]string{"email": "alice@a.test", "a_secret": "only A knows"})
	company := mustCreate("companies", map[string]string{"name": "A Corp"})
	archived := mustCreate("contacts", map[string]string{"email": "gone@a.test"})
	if err := a.CRM.Archive(ctx, a.Account.ID, "contacts", archived.IDString(), src); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CRM.Associate(ctx, a.Account.ID, "contacts", contact.IDString(), "companies", company.IDString(), nil, src); err != nil {
		t.Fatal(err)
	}
	labels, err := a.CRM.CreateLabel(ctx, a.Account.ID, "contacts", "companies", crm.LabelInput{Label: "Manager"})
	if err != nil {
		t.Fatal(err)
	}
	c, co, label := contact.IDString(), company.IDString(), itoa(int64(labels[0].TypeID))
	secret := []string{"only A knows", "A Corp", "Manager"}
	obj, v4 := "/crm/v3/objects/contacts/", "/crm/v4/objects/contacts/"+c+"/associations/companies"
	cases := map[string]apptest.Scenario{
		"GET /crm/v3/objects/{objectType}":                        {Method: "GET", URL: "/crm/v3/objects/contacts?properties=a_secret", ExpectedStatus: 200, ExpectedContent: []string{`"results":[]`}, NotExpectedContent: []string{"alice@a.test"}},
		"POST /crm/v3/objects/{objectType}":                       {Method: "POST", URL: "/crm/v3/objects/contacts", Body: `{"properties":{"email":"alice@a.test"}}`, ExpectedStatus: 201},
		"GET /crm/v3/objects/{objectType}/{objectId}":             {Method: "GET", URL: obj + c, ExpectedStatus: 404},
		"PATCH /crm/v3/objects/{objectType}/{objectId}":           {Method: "PATCH", URL: obj + c, Body: `{"properties":{"firstname":"Mallory"}}`, ExpectedStatus: 404},
		"DELETE /crm/v3/objects/{objectType}/{objectId}":          {Method: "DELETE", URL: obj + c, ExpectedStatus: 404},
		"POST /settle/v1/objects/{objectType}/{objectId}/restore": {Method: "POST", URL: "/settle/v1/objects/contacts/" + archived.IDString() + "/restore", ExpectedStatus: 404},
		"GET /settle/v1/objects/{objectType}/{objectId}/history":  {Method: "GET", URL: "/settle/v1/objects/contacts/" + c + "/history", ExpectedStatus: 404},
		"POST /crm/v3/objects/{objectType}/batch/read": {Method: "POST", URL: obj + "batch/read", Body: `{"inputs":[{"id":"` + c + `"}],"properties":["a_secret"]}`,
			ExpectedStatus: 207, ExpectedContent: []string{`"results":[]`}},
		"POST /crm/v3/objects/{objectType}/batch/create": {Method: "POST", URL: obj + "batch/create", Body: `{"inputs":[{"properties":{"email":"bob@b.test"}}]}`, ExpectedStatus: 201},
		"POST /crm/v3/objects/{objectType}/batch/update": {Method: "POST", URL: obj + "batch/update", Body: `{"inputs":[{"id":"` + c + `","properties":{"firstname":"Mallory"}}]}`,
			ExpectedStatus: 207},
		"POST /crm/v3/objects/{objectType}/batch/upsert": {Method: "POST", URL: obj + "batch/upsert",
			Body: `{"inputs":[{"id":"alice@a.test","idProperty":"email","properties":{"firstname":"Mallory"}}]}`, ExpectedStatus: 200,
			NotExpectedContent: []string{`"id":"` + c + `"`}},
		"POST /crm/v3/objects/{objectType}/batch/archive": {Method: "POST", URL: obj + "batch/archive", Body: `{"inputs":[{"id":"` + c + `"}]}`, ExpectedStatus: 204},
		"POST /crm/v3/objects/{objectType}/search": {Method: "POST", URL: obj + "search",
			Body: `{"filterGroups":[{"filters":[{"propertyName":"a_secret","operator":"HAS_PROPERTY"}]}]}`, ExpectedStatus: 400},
		"GET /crm/v3/properties/{objectType}":                                                             {Method: "GET", URL: "/crm/v3/properties/contacts", ExpectedStatus: 200},
		"POST /crm/v3/properties/{objectType}":                                                            {Method: "POST", URL: "/crm/v3/properties/contacts", Body: `{"name":"b_prop","label":"B","type":"string"}`, ExpectedStatus: 201},
		"GET /crm/v3/properties/{objectType}/{propertyName}":                                              {Method: "GET", URL: "/crm/v3/properties/contacts/a_secret", ExpectedStatus: 404},
		"PATCH /crm/v3/properties/{objectType}/{propertyName}":                                            {Method: "PATCH", URL: "/crm/v3/properties/contacts/a_secret", Body: `{"label":"Stolen"}`, ExpectedStatus: 404},
		"DELETE /crm/v3/properties/{objectType}/{propertyName}":                                           {Method: "DELETE", URL: "/crm/v3/properties/contacts/a_secret", ExpectedStatus: 404},
		"GET /crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/{toObjectType}":                 {Method: "GET", URL: v4, ExpectedStatus: 404},
		"PUT /crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/{toObjectType}/{toObjectId}":    {Method: "PUT", URL: v4 + "/" + co, Body: `[]`, ExpectedStatus: 404},
		"DELETE /crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/{toObjectType}/{toObjectId}": {Method: "DELETE", URL: v4 + "/" + co, ExpectedStatus: 404},
		"PUT /crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}": {Method: "PUT",
			URL: "/crm/v4/objects/contacts/" + c + "/associations/default/companies/" + co, ExpectedStatus: 404},
		"POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read": {Method: "POST", URL: "/crm/v4/associations/contacts/companies/batch/read",
			Body: `{"inputs":[{"id":"` + c + `"}]}`, ExpectedStatus: 207},
		"POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/create": {Method: "POST", URL: "/crm/v4/associations/contacts/companies/batch/create",
			Body: `{"inputs":[{"from":{"id":"` + c + `"},"to":{"id":"` + co + `"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]}]}`, ExpectedStatus: 207},
		"POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default": {Method: "POST", URL: "/crm/v4/associations/contacts/companies/batch/associate/default",
			Body: `{"inputs":[{"from":{"id":"` + c + `"},"to":{"id":"` + co + `"}}]}`, ExpectedStatus: 200, ExpectedContent: []string{`"numErrors":1`}},
		"POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/archive": {Method: "POST", URL: "/crm/v4/associations/contacts/companies/batch/archive",
			Body: `{"inputs":[{"from":{"id":"` + c + `"},"to":[{"id":"` + co + `"}]}]}`, ExpectedStatus: 204},
		"POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/labels/archive": {Method: "POST", URL: "/crm/v4/associations/contacts/companies/batch/labels/archive",
			Body: `{"inputs":[{"from":{"id":"` + c + `"},"to":{"id":"` + co + `"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]}]}`, ExpectedStatus: 204},
	}
	for _, base := range []string{"/crm/associations/v4/{fromObjectType}/{toObjectType}/labels", "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels"} {
		url := map[bool]string{true: "/crm/associations/v4", false: "/crm/v4/associations"}[base[5] == 'a']
		cases["GET "+base] = apptest.Scenario{Method: "GET", URL: url + "/contacts/companies/labels", ExpectedStatus: 200}
		cases["POST "+base] = apptest.Scenario{Method: "POST", URL: url + "/deals/companies/labels", Body: `{"label":"B label"}`, ExpectedStatus: 200}
		cases["PUT "+base] = apptest.Scenario{Method: "PUT", URL: url + "/contacts/companies/labels",
			Body: `{"associationTypeId":` + label + `,"label":"Stolen"}`, ExpectedStatus: 404}
		cases["DELETE "+base+"/{associationTypeId}"] = apptest.Scenario{Method: "DELETE", URL: url + "/contacts/companies/labels/" + label, ExpectedStatus: 404}
	}
	for k, sc := range cases {
		sc.NotExpectedContent = append(sc.NotExpectedContent, secret...)
		cases[k] = sc
	}
	return cases, func(t *testing.T) { assertCRMUntouched(t, a, contact, company, labels[0].TypeID) }
}

// assertCRMUntouched checks A's records after B's attempts.
func assertCRMUntouched(t *testing.T, a *apptest.App, contact, company crm.Record, label int) {
	t.Helper()
	ctx := context.Background()
	got, err := a.CRM.Get(ctx, a.Account.ID, "contacts", contact.IDString(), "", crm.ReadOptions{Associations: []string{"companies"}})
	if err != nil || got.Values["firstname"] != "" || got.Values["a_secret"] != "only A knows" || len(got.Associations["companies"]) != 1 {
		t.Errorf("A's contact changed: %+v, %+v, %v", got.Values, got.Associations, err)
	}
	types, err := a.CRM.AssociationTypes(ctx, a.Account.ID, "contacts", "companies")
	found := false
	for _, ty := range types {
		found = found || (ty.TypeID == label && ty.Label == "Manager")
	}
	if err != nil || !found {
		t.Errorf("A's label changed: %+v, %v", types, err)
	}
	props, _ := a.CRM.Properties(ctx, a.Account.ID, "contacts", false)
	for _, p := range props {
		if p.Name == "b_prop" {
			t.Error("B's property appears in A")
		}
		if p.Name == "a_secret" && p.Label.En != "A secret" {
			t.Errorf("A's property label changed to %q", p.Label.En)
		}
	}
}
