package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// idOf reads the id of a created record into *dst.
func idOf(dst *string) func(*testing.T, *http.Response, []byte) {
	return func(t *testing.T, _ *http.Response, body []byte) {
		var o struct{ ID string }
		if err := json.Unmarshal(body, &o); err != nil || o.ID == "" {
			t.Fatalf("no id in %s", body)
		}
		*dst = o.ID
	}
}

func TestCRMObjectsAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var ada, acme, deal string
		a.Run(t, []apptest.Scenario{
			{Name: "create a contact", Method: "POST", URL: "/crm/v3/objects/contacts", ExpectedStatus: 201,
				Body:            `{"properties":{"email":"ada@example.com","firstname":"Ada","hs_language":"fr"}}`,
				ExpectedContent: []string{`"email":"ada@example.com"`, `"hs_language":"fr"`, `"archived":false`}, Check: idOf(&ada)},
			{Name: "create a company by objectTypeId", Method: "POST", URL: "/crm/v3/objects/0-2", ExpectedStatus: 201,
				Body: `{"properties":{"name":"Acme","domain":"acme.test"}}`, Check: idOf(&acme)},
		})
		a.Run(t, []apptest.Scenario{
			{Name: "create a deal associated with both", Method: "POST", URL: "/crm/v3/objects/deals", ExpectedStatus: 201,
				Body: `{"properties":{"dealname":"Big one","amount":"1500.50"},"associations":[
					{"to":{"id":` + ada + `},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]},
					{"to":{"id":"` + acme + `"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":5}]}]}`,
				ExpectedContent: []string{`"amount":"1500.5"`}, Check: idOf(&deal)},
		})
		a.Run(t, []apptest.Scenario{
			{Name: "read with properties, history and associations", Method: "GET",
				URL:            "/crm/v3/objects/contacts/" + ada + "?properties=email,firstname&properties=phone&propertiesWithHistory=firstname&associations=deals",
				ExpectedStatus: 200,
				ExpectedContent: []string{`"phone":null`, `"propertiesWithHistory":{"firstname":[{"value":"Ada"`,
					`"associations":{"deals":{"results":[{"id":"` + deal + `","type":"contact_to_deal"}]}}`}},
			{Name: "read by idProperty", Method: "GET", URL: "/crm/v3/objects/contacts/ADA@example.com?idProperty=email", ExpectedStatus: 200,
				ExpectedContent: []string{`"id":"` + ada + `"`}},
			{Name: "update", Method: "PATCH", URL: "/crm/v3/objects/contacts/" + ada, Body: `{"properties":{"lastname":"Lovelace"}}`,
				ExpectedStatus: 200, ExpectedContent: []string{`"lastname":"Lovelace"`}},
			{Name: "the deal's company is its primary", Method: "GET", URL: "/crm/v4/objects/deals/" + deal + "/associations/companies",
				ExpectedStatus: 200, ExpectedContent: []string{`"toObjectId":"` + acme + `"`, `"typeId":5,"label":"Primary"`}},
			{Name: "search finds it at once", Method: "POST", URL: "/crm/v3/objects/contacts/search",
				Body:           `{"filterGroups":[{"filters":[{"propertyName":"associations.deal","operator":"EQ","value":"` + deal + `"}]}],"properties":["lastname"]}`,
				ExpectedStatus: 200, ExpectedContent: []string{`"total":1`, `"lastname":"Lovelace"`}},
			{Name: "timeline", Method: "GET", URL: "/settle/v1/objects/contacts/" + ada + "/history", ExpectedStatus: 200,
				ExpectedContent: []string{`"kind":"updated"`, `"kind":"associated"`, `"kind":"created"`}},
			{Name: "archive", Method: "DELETE", URL: "/crm/v3/objects/contacts/" + ada, ExpectedStatus: 204},
			{Name: "archived is gone", Method: "GET", URL: "/crm/v3/objects/contacts/" + ada, ExpectedStatus: 404},
			{Name: "archived=true finds it", Method: "GET", URL: "/crm/v3/objects/contacts?archived=true", ExpectedStatus: 200,
				ExpectedContent: []string{`"archived":true`, `"archivedAt"`}},
			{Name: "restore", Method: "POST", URL: "/settle/v1/objects/contacts/" + ada + "/restore", ExpectedStatus: 200,
				ExpectedContent: []string{`"archived":false`}},
		})
	})
}

func TestCRMListPaging(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	var inputs []string
	for i := range 5 {
		inputs = append(inputs, `{"properties":{"email":"p`+itoa(int64(i))+`@example.com"}}`)
	}
	var after string
	a.Run(t, []apptest.Scenario{
		{Name: "batch create", Method: "POST", URL: "/crm/v3/objects/contacts/batch/create",
			Body: `{"inputs":[` + strings.Join(inputs, ",") + `]}`, ExpectedStatus: 201, ExpectedContent: []string{`"status":"COMPLETE"`, "p4@example.com"}},
		{Name: "first page", Method: "GET", URL: "/crm/v3/objects/contacts?limit=3", ExpectedStatus: 200,
			ExpectedContent: []string{"p0@", "p2@", `"paging":{"next":{"after":"`}, NotExpectedContent: []string{"p3@"},
			Check: func(t *testing.T, _ *http.Response, body []byte) {
				var page struct {
					Paging struct{ Next struct{ After string } }
				}
				_ = json.Unmarshal(body, &page)
				after = page.Paging.Next.After
			}},
	})
	a.Run(t, []apptest.Scenario{
		{Name: "last page", Method: "GET", URL: "/crm/v3/objects/contacts?limit=3&after=" + after, ExpectedStatus: 200,
			ExpectedContent: []string{"p3@", "p4@"}, NotExpectedContent: []string{"p2@", `"paging"`}},
		{Name: "batch read with a missing id", Method: "POST", URL: "/crm/v3/objects/contacts/batch/read",
			Body:           `{"inputs":[{"id":"p1@example.com"},{"id":"nobody@example.com"}],"idProperty":"email","properties":["email"]}`,
			ExpectedStatus: 207, ExpectedContent: []string{"p1@example.com", `"numErrors":1`, `"ids":["nobody@example.com"]`}},
		{Name: "batch upsert by email", Method: "POST", URL: "/crm/v3/objects/contacts/batch/upsert",
			Body:           `{"inputs":[{"id":"p1@example.com","idProperty":"email","properties":{"firstname":"One"}},{"id":"new@example.com","idProperty":"email","properties":{"firstname":"New"}}]}`,
			ExpectedStatus: 200, ExpectedContent: []string{`"firstname":"One"`, `"new":false`, `"email":"new@example.com"`, `"new":true`}},
		{Name: "sort and paging in search", Method: "POST", URL: "/crm/v3/objects/contacts/search",
			Body: `{"sorts":[{"propertyName":"email","direction":"DESCENDING"}],"limit":2,"properties":["email"]}`, ExpectedStatus: 200,
			ExpectedContent: []string{`"total":6`, `"after":"2"`, "p4@", "p3@"}},
	})
}

func TestCRMBadInputWritesNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		a.Run(t, []apptest.Scenario{
			{Name: "unknown object type", Method: "POST", URL: "/crm/v3/objects/spaceships", Body: `{"properties":{}}`, ExpectedStatus: 404,
				ExpectedContent: []string{`"category":"OBJECT_NOT_FOUND"`, "spaceships"}},
			{Name: "unknown property", Method: "POST", URL: "/crm/v3/objects/contacts", Body: `{"properties":{"email":"x@example.com","shoe_size":"44"}}`,
				ExpectedStatus: 400, ExpectedContent: []string{"Property values were not valid", `"in":"shoe_size"`, `"code":"PROPERTY_DOESNT_EXIST"`}},
			{Name: "read-only property", Method: "POST", URL: "/crm/v3/objects/contacts", Body: `{"properties":{"email":"x@example.com","hs_object_id":"7"}}`,
				ExpectedStatus: 400, ExpectedContent: []string{`"code":"READ_ONLY_VALUE"`}},
			{Name: "wrong type", Method: "POST", URL: "/crm/v3/objects/deals", Body: `{"properties":{"amount":"abc"}}`,
				ExpectedStatus: 400, ExpectedContent: []string{`"in":"amount"`, `"code":"INVALID_NUMBER"`}},
			{Name: "six filter groups", Method: "POST", URL: "/crm/v3/objects/contacts/search", ExpectedStatus: 400,
				Body: `{"filterGroups":[` + strings.Repeat(`{"filters":[{"propertyName":"email","operator":"HAS_PROPERTY"}]},`, 5) +
					`{"filters":[{"propertyName":"email","operator":"HAS_PROPERTY"}]}]}`, ExpectedContent: []string{"TOO_MANY_FILTER_GROUPS"}},
			{Name: "nineteen filters", Method: "POST", URL: "/crm/v3/objects/contacts/search", ExpectedStatus: 400,
				Body: `{"filterGroups":[` + strings.TrimSuffix(strings.Repeat(`{"filters":[`+strings.TrimSuffix(strings.Repeat(`{"propertyName":"email","operator":"HAS_PROPERTY"},`, 5), ",")+`]},`, 3), ",") +
					`,{"filters":[` + strings.TrimSuffix(strings.Repeat(`{"propertyName":"email","operator":"HAS_PROPERTY"},`, 4), ",") + `]}]}`,
				ExpectedContent: []string{"TOO_MANY_FILTERS", "not 19"}},
			{Name: "limit 500", Method: "POST", URL: "/crm/v3/objects/contacts/search", Body: `{"limit":500}`, ExpectedStatus: 400,
				ExpectedContent: []string{"INVALID_LIMIT"}},
			{Name: "after beyond 10,000", Method: "POST", URL: "/crm/v3/objects/contacts/search", Body: `{"after":"10001"}`, ExpectedStatus: 400,
				ExpectedContent: []string{"PAGING_LIMIT"}},
			{Name: "sort on an unknown property", Method: "POST", URL: "/crm/v3/objects/contacts/search",
				Body: `{"sorts":[{"propertyName":"shoe_size","direction":"ASCENDING"}]}`, ExpectedStatus: 400, ExpectedContent: []string{"shoe_size"}},
			{Name: "batch with one bad input writes none", Method: "POST", URL: "/crm/v3/objects/contacts/batch/create",
				Body:           `{"inputs":[{"properties":{"email":"good@example.com"}},{"properties":{"email":"bad"}}]}`,
				ExpectedStatus: 400, ExpectedContent: []string{`"in":"inputs[1].email"`}},
			{Name: "nothing was written", Method: "GET", URL: "/crm/v3/objects/contacts", ExpectedStatus: 200,
				ExpectedContent: []string{`"results":[]`}},
			{Name: "list limit over 100", Method: "GET", URL: "/crm/v3/objects/contacts?limit=101", ExpectedStatus: 400},
		})
	})
}

func TestCRMPropertiesAndLabelsAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var c, co string
		a.Run(t, []apptest.Scenario{
			{Name: "built-in properties, labels in French", Method: "GET", URL: "/crm/v3/properties/commerce_payments", ExpectedStatus: 200,
				Headers:         map[string]string{"Accept-Language": "fr-FR,fr;q=0.9"},
				ExpectedContent: []string{`"name":"hs_initial_amount","label":"Montant brut"`, `"name":"hs_latest_status"`, `"value":"partially_refunded"`}},
			{Name: "add a custom enumeration", Method: "POST", URL: "/crm/v3/properties/contacts", ExpectedStatus: 201,
				Body:            `{"name":"tier","label":"Tier","type":"enumeration","fieldType":"select","options":[{"label":"Gold","value":"gold"},{"label":"Silver","value":"silver"}]}`,
				ExpectedContent: []string{`"hubspotDefined":false`}},
			{Name: "a duplicate name", Method: "POST", URL: "/crm/v3/properties/contacts", ExpectedStatus: 409,
				Body: `{"name":"tier","label":"Tier","type":"string"}`},
			{Name: "a built-in name", Method: "POST", URL: "/crm/v3/properties/contacts", ExpectedStatus: 400,
				Body: `{"name":"email","label":"Email","type":"string"}`, ExpectedContent: []string{"PROPERTY_EXISTS"}},
			{Name: "use it", Method: "POST", URL: "/crm/v3/objects/contacts", ExpectedStatus: 201,
				Body: `{"properties":{"email":"vip@example.com","tier":"gold"}}`, ExpectedContent: []string{`"tier":"gold"`}, Check: idOf(&c)},
			{Name: "its options are checked", Method: "POST", URL: "/crm/v3/objects/contacts", ExpectedStatus: 400,
				Body: `{"properties":{"tier":"bronze"}}`, ExpectedContent: []string{"INVALID_OPTION"}},
			{Name: "rename it", Method: "PATCH", URL: "/crm/v3/properties/contacts/tier", Body: `{"label":"Customer tier"}`, ExpectedStatus: 200,
				ExpectedContent: []string{`"label":"Customer tier"`}},
			{Name: "a company", Method: "POST", URL: "/crm/v3/objects/companies", Body: `{"properties":{"name":"Acme"}}`, ExpectedStatus: 201, Check: idOf(&co)},
			{Name: "define a label", Method: "POST", URL: "/crm/v4/associations/contacts/companies/labels", ExpectedStatus: 200,
				Body:            `{"label":"Billing contact","name":"billing_contact","inverseLabel":"Billed company"}`,
				ExpectedContent: []string{`"category":"USER_DEFINED"`, `"label":"Billing contact"`}},
			{Name: "labels listed", Method: "GET", URL: "/crm/associations/v4/contacts/companies/labels", ExpectedStatus: 200,
				ExpectedContent: []string{`"typeId":279,"label":null`, `"typeId":1,"label":"Primary"`, `"label":"Billing contact"`}},
		})
		a.Run(t, []apptest.Scenario{
			{Name: "associate with the label", Method: "PUT", URL: "/crm/v4/objects/contacts/" + c + "/associations/companies/" + co,
				Body: `[{"associationCategory":"USER_DEFINED","associationTypeId":100001}]`, ExpectedStatus: 201,
				ExpectedContent: []string{`"fromObjectTypeId":"0-1"`, `"labels":["Billing contact"]`}},
			{Name: "seen from the company, with the inverse label", Method: "GET", URL: "/crm/v4/objects/companies/" + co + "/associations/contacts",
				ExpectedStatus: 200, ExpectedContent: []string{`"typeId":100002,"label":"Billed company"`}},
			{Name: "add the default too", Method: "PUT", URL: "/crm/v4/objects/contacts/" + c + "/associations/default/companies/" + co,
				ExpectedStatus: 200, ExpectedContent: []string{`"associationTypeId":279`}},
			{Name: "remove the label only", Method: "POST", URL: "/crm/v4/associations/contacts/companies/batch/labels/archive", ExpectedStatus: 204,
				Body: `{"inputs":[{"from":{"id":"` + c + `"},"to":{"id":"` + co + `"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":100001}]}]}`},
			{Name: "the default remains", Method: "POST", URL: "/crm/v4/associations/contacts/companies/batch/read",
				Body: `{"inputs":[{"id":"` + c + `"}]}`, ExpectedStatus: 200,
				ExpectedContent: []string{`"typeId":279`}, NotExpectedContent: []string{"100001"}},
			{Name: "unknown association type", Method: "PUT", URL: "/crm/v4/objects/contacts/" + c + "/associations/companies/" + co,
				Body: `[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":999}]`, ExpectedStatus: 400},
			{Name: "archive the property", Method: "DELETE", URL: "/crm/v3/properties/contacts/tier", ExpectedStatus: 204},
			{Name: "archived properties listed apart", Method: "GET", URL: "/crm/v3/properties/contacts?archived=true", ExpectedStatus: 200,
				ExpectedContent: []string{`"name":"tier"`, `"archived":true`}},
		})
	})
}

// TestCRMPropertyClientFields sends property definitions the way the official CRM client does:
// every field of its PropertyCreate, PropertyUpdate and OptionInput models is accepted, the
// ones Settle keeps come back, and the features it lacks are refused by name.
func TestCRMPropertyClientFields(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		a.Run(t, []apptest.Scenario{
			{Name: "create with every client field", Method: "POST", URL: "/crm/v3/properties/deals", ExpectedStatus: 201,
				Body: `{"name":"tier","label":"Tier","type":"enumeration","fieldType":"select","groupName":"dealinformation",
					"description":"Service level","displayOrder":2,"hidden":false,"formField":true,"hasUniqueValue":false,
					"externalOptions":false,"referencedObjectType":"","calculationFormula":"",
					"options":[{"label":"Gold","value":"gold","description":"Best","displayOrder":0,"hidden":false}]}`,
				ExpectedContent: []string{`"value":"gold","description":"Best"`, `"hasUniqueValue":false`}},
			{Name: "option descriptions are kept", Method: "GET", URL: "/crm/v3/properties/deals/tier", ExpectedStatus: 200,
				ExpectedContent: []string{`"description":"Best"`, `"hidden":false`}},
			{Name: "update with its own type, hidden", Method: "PATCH", URL: "/crm/v3/properties/deals/tier", ExpectedStatus: 200,
				Body:            `{"label":"Customer tier","type":"enumeration","hidden":true,"calculationFormula":""}`,
				ExpectedContent: []string{`"label":"Customer tier"`, `"hidden":true`}},
			{Name: "hidden is kept", Method: "GET", URL: "/crm/v3/properties/deals/tier", ExpectedStatus: 200,
				ExpectedContent: []string{`"hidden":true`}},
			{Name: "the type cannot change", Method: "PATCH", URL: "/crm/v3/properties/deals/tier", ExpectedStatus: 400,
				Body: `{"type":"string"}`, ExpectedContent: []string{`"code":"TYPE_CHANGE"`}},
			{Name: "unique values are refused", Method: "POST", URL: "/crm/v3/properties/deals", ExpectedStatus: 400,
				Body: `{"name":"code","label":"Code","type":"string","hasUniqueValue":true}`, ExpectedContent: []string{`"in":"hasUniqueValue"`, "UNSUPPORTED"}},
			{Name: "calculations are refused", Method: "POST", URL: "/crm/v3/properties/deals", ExpectedStatus: 400,
				Body: `{"name":"double","label":"Double","type":"number","calculationFormula":"amount * 2"}`, ExpectedContent: []string{`"in":"calculationFormula"`}},
			{Name: "nothing refused was written", Method: "GET", URL: "/crm/v3/properties/deals", ExpectedStatus: 200,
				NotExpectedContent: []string{`"name":"code"`, `"name":"double"`}},
			{Name: "archive", Method: "DELETE", URL: "/crm/v3/properties/deals/tier", ExpectedStatus: 204},
			{Name: "getByName without archived no longer finds it", Method: "GET", URL: "/crm/v3/properties/deals/tier", ExpectedStatus: 404},
			{Name: "getByName with archived=true does", Method: "GET", URL: "/crm/v3/properties/deals/tier?archived=true", ExpectedStatus: 200,
				ExpectedContent: []string{`"name":"tier"`, `"archived":true`}},
		})
	})
}

// TestCRMValuesAsJSONScalars writes property values as numbers, booleans and null, as
// JavaScript callers of the official client do: they are read as their text.
func TestCRMValuesAsJSONScalars(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	var deal string
	a.Run(t, []apptest.Scenario{
		{Name: "numbers and booleans on create", Method: "POST", URL: "/crm/v3/objects/deals", ExpectedStatus: 201,
			Body:            `{"properties":{"dealname":"Typed","amount":1500.50,"description":null}}`,
			ExpectedContent: []string{`"amount":"1500.5"`, `"dealname":"Typed"`}, Check: idOf(&deal)},
		{Name: "booleans in a batch", Method: "POST", URL: "/crm/v3/objects/contacts/batch/create", ExpectedStatus: 201,
			Body: `{"inputs":[{"properties":{"email":"typed@example.com","hs_marketable_status":true}}]}`, ExpectedContent: []string{`"hs_marketable_status":"true"`}},
		{Name: "an object is not a value", Method: "POST", URL: "/crm/v3/objects/deals", ExpectedStatus: 400,
			Body: `{"properties":{"amount":{"value":1}}}`, ExpectedContent: []string{`"code":"INVALID_TYPE"`, `"in":"properties.amount"`}},
	})
	a.Run(t, []apptest.Scenario{
		{Name: "numbers on update, null clears", Method: "PATCH", URL: "/crm/v3/objects/deals/" + deal, ExpectedStatus: 200,
			Body: `{"properties":{"amount":-20,"dealname":null}}`, ExpectedContent: []string{`"amount":"-20"`, `"dealname":null`}},
		{Name: "numbers in a batch update", Method: "POST", URL: "/crm/v3/objects/deals/batch/update", ExpectedStatus: 200,
			Body: `{"inputs":[{"id":"` + deal + `","properties":{"amount":7}}]}`, ExpectedContent: []string{`"amount":"7"`}},
	})
}
