package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// accountForm is the settings form as the page fills it for the test app's account.
func accountForm() url.Values {
	return url.Values{
		"name": {"My business"}, "country": {"US"}, "timezone": {"America/New_York"}, "language": {"en"},
		"currencies": {"USD"}, "default_currency": {"USD"}, "settlement_currency": {"USD"},
		"processor": {"builtin"}, "branding.company_name": {"My business"}, "branding.brand_color": {"#1F6FEB"},
		"create_invoices": {"0"}, "marketing_contacts": {"0", "1"}, "subscription_reminders": {"0", "1"},
	}
}

func TestAccountSettingsRefuseInvalidValues(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		cases := []struct {
			name    string
			changes url.Values
			// wantMessages must show on the page, next to their fields.
			wantMessages []string
		}{
			{name: "country", changes: url.Values{"country": {"ZZZ"}},
				wantMessages: []string{`id="f-country-error">Enter a two-letter ISO country code`}},
			{name: "brand colour", changes: url.Values{"branding.brand_color": {"blue"}},
				wantMessages: []string{`id="f-branding-brand-color-error">Enter a colour in #RRGGBB form`}},
			{name: "default currency outside the currencies", changes: url.Values{"default_currency": {"EUR"}},
				wantMessages: []string{`id="f-default-currency-error">The default currency must be one of the account&#39;s currencies`}},
			{name: "built-in processor outside its countries", changes: url.Values{"country": {"FR"}, "timezone": {"Europe/Paris"}},
				wantMessages: []string{`id="f-processor-error">The built-in processor is offered to accounts based in US, GB, CA`}},
			{name: "empty name and bad time zone", changes: url.Values{"name": {""}, "timezone": {"Mars/Olympus"}},
				wantMessages: []string{`id="f-name-error">Enter an account name of 1 to 200 characters`,
					`id="f-timezone-error">Enter an IANA time zone`}},
			{name: "unknown currency", changes: url.Values{"currencies": {"USD, XYZ"}},
				wantMessages: []string{`id="f-currencies-error">Enter ISO 4217 currency codes`}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				form := accountForm()
				form.Set("name", "Renamed business")
				for k, v := range tc.changes {
					form[k] = v
				}
				res, body := d.submit("/settings", "/settings", form)
				wantStatus(t, res, body, http.StatusBadRequest)
				wantContains(t, body, tc.wantMessages...)
				wantContains(t, body, "Some fields need your attention. Nothing was saved.", `aria-invalid="true"`)
				accountNamed(a, "My business")(t, d)
			})
		}
	})
}

func TestAccountSettingsSave(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		form := accountForm()
		form.Set("name", "Acme Payments")
		form.Set("currencies", "usd, eur")
		form.Set("settlement_currency", "EUR")
		form.Set("processor", "stripe")
		form.Set("branding.brand_color", "#112233")
		form["create_invoices"] = []string{"0", "1"}
		form["subscription_reminders"] = []string{"0"}
		res, body := d.submit("/settings", "/settings", form)
		wantRedirect(t, res, body, "/settings?notice=saved")

		acct, err := a.Auth.Account(context.Background(), a.Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := auth.AccountSettings{CreateInvoices: true, MarketingContacts: true, SubscriptionReminders: false}
		if acct.Name != "Acme Payments" || acct.SettlementCurrency != "EUR" || len(acct.Currencies) != 2 ||
			acct.Processor != auth.ProcessorStripe || acct.Branding.Color != "#112233" || acct.Settings != want {
			t.Errorf("saved account %+v", acct)
		}
		res, body = d.get("/settings?notice=saved")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Your changes were saved.", `<span class="account-name">Acme Payments</span>`,
			`value="USD, EUR"`)
	})
}

func TestNoticeOnlyFromTheCatalog(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		_, body := d.get("/settings?notice=%3Cscript%3Ealert(1)%3C/script%3E")
		wantLacks(t, body, "<script>alert", "alert(1)", `role="status"`)
	})
}
