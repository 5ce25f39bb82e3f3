package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/problem"
)

// accountData is what the account settings page offers to choose from.
type accountData struct {
	Languages  []string
	Processors []auth.Processor
	// Builtin lists the countries the built-in processor is offered to.
	Builtin string
}

func (u *UI) accountView(f *form, status int) view {
	return view{name: "settings_account", Status: status, Title: "settings.account.title", Section: "/settings",
		Form: f, Data: accountData{Languages: u.text.Languages(),
			Processors: []auth.Processor{auth.ProcessorBuiltin, auth.ProcessorStripe},
			Builtin:    strings.Join(auth.BuiltinCountries, ", ")}}
}

// accountPage shows the account's settings: a form for a user who may change them, the same
// fields read-only for anyone else.
func (u *UI) accountPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	return u.render(w, r, v, u.accountView(newForm(accountValues(v.Account)), http.StatusOK))
}

// saveAccount applies the settings form. Refused fields show their reasons and nothing is
// saved; a saved form redirects to the page with a notice.
func (u *UI) saveAccount(w http.ResponseWriter, r *http.Request, v *visit) error {
	if !v.Principal.Has(auth.PermManageSettings) {
		return problem.Forbidden("changing the account's settings needs %s", auth.PermManageSettings)
	}
	_, err := u.deps.Auth.UpdateAccount(r.Context(), v.Principal.AccountID, accountUpdate(r.PostForm))
	f := newForm(r.PostForm)
	if status, ok := u.formFailure(v.Lang, "account", f, err, ""); ok {
		return u.render(w, r, v, u.accountView(f, status))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/settings", "saved")
}

// saveLogo uploads the logo the settings page's logo form sends and shows it on the
// account's buyer pages and invoices, or removes the logo when the form says so. A file that
// is not a logo is refused with its reason and nothing changes.
func (u *UI) saveLogo(w http.ResponseWriter, r *http.Request, v *visit) error {
	if !v.Principal.Has(auth.PermManageSettings) {
		return problem.Forbidden("changing the account's logo needs %s", auth.PermManageSettings)
	}
	id, err := u.uploadedLogo(r, v)
	if err == nil {
		_, err = u.deps.Auth.UpdateAccount(r.Context(), v.Principal.AccountID, auth.AccountUpdate{BrandLogoFileID: &id})
	}
	f := newForm(accountValues(v.Account))
	if status, ok := u.formFailure(v.Lang, "account", f, err, ""); ok {
		return u.render(w, r, v, u.accountView(f, status))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/settings", "saved")
}

// uploadedLogo keeps the posted logo and returns its file id; "" when the form removes it.
func (u *UI) uploadedLogo(r *http.Request, v *visit) (string, error) {
	if r.PostFormValue("remove") != "" {
		return "", nil
	}
	part, header, err := r.FormFile("logo")
	if err != nil {
		return "", problem.Invalid("file", "REQUIRED", "Choose the logo's file.")
	}
	f, err := u.deps.Files.PutPart(r.Context(), v.Principal.AccountID, files.PurposeLogo, part, header)
	return f.ID, err
}

// accountValues are the form's fields for a stored account.
func accountValues(a auth.Account) url.Values {
	return url.Values{
		"name": {a.Name}, "country": {a.Country}, "timezone": {a.Timezone}, "language": {a.Language},
		"default_currency": {a.DefaultCurrency}, "settlement_currency": {a.SettlementCurrency},
		"currencies": {strings.Join(a.Currencies, ", ")}, "processor": {string(a.Processor)},
		"branding.company_name": {a.Branding.CompanyName}, "branding.brand_color": {a.Branding.Color},
		"create_invoices":        {switchValue(a.Settings.CreateInvoices)},
		"marketing_contacts":     {switchValue(a.Settings.MarketingContacts)},
		"subscription_reminders": {switchValue(a.Settings.SubscriptionReminders)},
		"branding.logo_file_id":  {a.Branding.LogoFileID},
	}
}

func switchValue(on bool) string {
	if on {
		return "1"
	}
	return "0"
}

// accountUpdate reads the settings form. Fields the post leaves out stay as they are.
func accountUpdate(values url.Values) auth.AccountUpdate {
	up := auth.AccountUpdate{
		Name: present(values, "name"), Country: present(values, "country"), Timezone: present(values, "timezone"),
		Language: present(values, "language"), DefaultCurrency: present(values, "default_currency"),
		SettlementCurrency: present(values, "settlement_currency"),
		BrandCompanyName:   present(values, "branding.company_name"), BrandColor: present(values, "branding.brand_color"),
		CreateInvoices:        presentSwitch(values, "create_invoices"),
		MarketingContacts:     presentSwitch(values, "marketing_contacts"),
		SubscriptionReminders: presentSwitch(values, "subscription_reminders"),
	}
	if c := present(values, "currencies"); c != nil {
		list := strings.FieldsFunc(*c, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
		up.Currencies = &list
	}
	if p := present(values, "processor"); p != nil {
		proc := auth.Processor(*p)
		up.Processor = &proc
	}
	return up
}
