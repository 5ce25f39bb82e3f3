package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/problem"
)

// AccountJSON is the account as the API shows it.
type AccountJSON struct {
	ID                 string        `json:"id"`
	Name               string        `json:"name"`
	Country            string        `json:"country"`
	Timezone           string        `json:"timezone"`
	Language           string        `json:"language"`
	DefaultCurrency    string        `json:"default_currency"`
	SettlementCurrency string        `json:"settlement_currency"`
	Currencies         []string      `json:"currencies"`
	TestMode           bool          `json:"test_mode"`
	Processor          ProcessorJSON `json:"processor"`
	Branding           BrandingJSON  `json:"branding"`
	Settings           SettingsJSON  `json:"settings"`
	CreatedAt          time.Time     `json:"created_at"`
	UpdatedAt          time.Time     `json:"updated_at"`
}

// ProcessorJSON names the account's processor.
type ProcessorJSON struct {
	Type string `json:"type" enum:"builtin,stripe"`
}

// BrandingJSON is the account's branding.
type BrandingJSON struct {
	CompanyName string  `json:"company_name"`
	LogoFileID  *string `json:"logo_file_id"`
	BrandColor  string  `json:"brand_color"`
}

// SettingsJSON are the account-wide switches.
type SettingsJSON struct {
	CreateInvoices             bool `json:"create_invoices"`
	MarketingContactsForBuyers bool `json:"marketing_contacts_for_buyers"`
	SubscriptionReminders      bool `json:"subscription_reminders"`
}

// AccountPatch is the body of PATCH /settle/v1/account: every field is optional.
type AccountPatch struct {
	Name               *string        `json:"name,omitempty"`
	Country            *string        `json:"country,omitempty"`
	Timezone           *string        `json:"timezone,omitempty"`
	Language           *string        `json:"language,omitempty"`
	DefaultCurrency    *string        `json:"default_currency,omitempty"`
	SettlementCurrency *string        `json:"settlement_currency,omitempty"`
	Currencies         *[]string      `json:"currencies,omitempty"`
	Processor          *ProcessorJSON `json:"processor,omitempty"`
	Branding           *BrandingPatch `json:"branding,omitempty"`
	Settings           *SettingsPatch `json:"settings,omitempty"`
}

// BrandingPatch changes the branding. The logo is a file uploaded with purpose logo
// (POST /settle/v1/files); "" removes it.
type BrandingPatch struct {
	CompanyName *string `json:"company_name,omitempty"`
	LogoFileID  *string `json:"logo_file_id,omitempty"`
	BrandColor  *string `json:"brand_color,omitempty"`
}

// SettingsPatch changes some of the account-wide switches.
type SettingsPatch struct {
	CreateInvoices             *bool `json:"create_invoices,omitempty"`
	MarketingContactsForBuyers *bool `json:"marketing_contacts_for_buyers,omitempty"`
	SubscriptionReminders      *bool `json:"subscription_reminders,omitempty"`
}

func (a *API) accountRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/settle/v1/account", Scope: auth.ScopeAccountRead, Tag: "Account",
			Summary: "Read the account, its branding and settings", Response: AccountJSON{}, Status: 200, handle: a.getAccount},
		{Method: "PATCH", Path: "/settle/v1/account", Scope: auth.ScopeAccountWrite, Tag: "Account",
			Summary: "Change the account, its branding and settings", Request: AccountPatch{}, Response: AccountJSON{},
			Status: 200, handle: a.patchAccount},
	}
}

func (a *API) getAccount(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	acct, err := a.deps.Auth.Account(r.Context(), p.AccountID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, accountJSON(acct))
	return nil
}

func (a *API) patchAccount(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body AccountPatch
	if err := decode(r, &body); err != nil {
		return err
	}
	if err := a.checkLogo(r, p, body.Branding); err != nil {
		return err
	}
	acct, err := a.deps.Auth.UpdateAccount(r.Context(), p.AccountID, body.update())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, accountJSON(acct))
	return nil
}

func (b AccountPatch) update() auth.AccountUpdate {
	u := auth.AccountUpdate{Name: b.Name, Country: b.Country, Timezone: b.Timezone, Language: b.Language,
		DefaultCurrency: b.DefaultCurrency, SettlementCurrency: b.SettlementCurrency, Currencies: b.Currencies}
	if b.Processor != nil {
		proc := auth.Processor(b.Processor.Type)
		u.Processor = &proc
	}
	if b.Branding != nil {
		u.BrandCompanyName, u.BrandColor, u.BrandLogoFileID = b.Branding.CompanyName, b.Branding.BrandColor, b.Branding.LogoFileID
	}
	if b.Settings != nil {
		u.CreateInvoices = b.Settings.CreateInvoices
		u.MarketingContacts = b.Settings.MarketingContactsForBuyers
		u.SubscriptionReminders = b.Settings.SubscriptionReminders
	}
	return u
}

// checkLogo refuses a logo that is not one of the account's files uploaded as a logo.
func (a *API) checkLogo(r *http.Request, p auth.Principal, b *BrandingPatch) error {
	if b == nil || b.LogoFileID == nil || *b.LogoFileID == "" {
		return nil
	}
	f, err := a.deps.Files.Get(r.Context(), p.AccountID, *b.LogoFileID)
	if errors.Is(err, problem.ErrNotFound) || err == nil && f.Purpose != files.PurposeLogo {
		return problem.Invalid("branding.logo_file_id", "INVALID_FILE",
			fmt.Sprintf("%q is not a file of this account uploaded with purpose logo.", *b.LogoFileID))
	}
	return err
}

func accountJSON(a auth.Account) AccountJSON {
	var logo *string
	if a.Branding.LogoFileID != "" {
		logo = &a.Branding.LogoFileID
	}
	return AccountJSON{
		ID: formatID(a.ID), Name: a.Name, Country: a.Country, Timezone: a.Timezone, Language: a.Language,
		DefaultCurrency: a.DefaultCurrency, SettlementCurrency: a.SettlementCurrency, Currencies: a.Currencies,
		TestMode: a.TestMode, Processor: ProcessorJSON{Type: string(a.Processor)},
		Branding: BrandingJSON{CompanyName: a.Branding.CompanyName, LogoFileID: logo, BrandColor: a.Branding.Color},
		Settings: SettingsJSON{CreateInvoices: a.Settings.CreateInvoices,
			MarketingContactsForBuyers: a.Settings.MarketingContacts, SubscriptionReminders: a.Settings.SubscriptionReminders},
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}
