package auth

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bojanz/currency"
	"golang.org/x/text/language"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Account is a business using Settle: the tenant every record belongs to.
type Account struct {
	ID                 int64
	Name               string
	Country            string
	Timezone           string
	Language           string
	DefaultCurrency    string
	SettlementCurrency string
	Currencies         []string
	TestMode           bool
	Processor          Processor
	Branding           Branding
	Settings           AccountSettings
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Processor names how an account's payments are processed (SPEC F2).
type Processor string

// The processors an account can use.
const (
	ProcessorBuiltin Processor = "builtin"
	ProcessorStripe  Processor = "stripe"
)

// BuiltinCountries are the merchant countries the built-in processor is offered to.
var BuiltinCountries = []string{"US", "GB", "CA"}

// Branding is what receipts and buyer pages show of the business (SPEC F31).
type Branding struct {
	CompanyName string
	LogoFileID  string
	Color       string
}

// AccountSettings are the account-wide switches of SPEC F7, F10 and F14.
type AccountSettings struct {
	CreateInvoices        bool
	MarketingContacts     bool
	SubscriptionReminders bool
}

// Languages are the languages Settle's pages and emails are written in.
var Languages = []string{"en", "fr", "de", "es"}

// AccountUpdate changes some of an account's fields; nil fields stay as they are.
type AccountUpdate struct {
	Name               *string
	Country            *string
	Timezone           *string
	Language           *string
	DefaultCurrency    *string
	SettlementCurrency *string
	Currencies         *[]string
	Processor          *Processor
	BrandCompanyName   *string
	BrandColor         *string
	// BrandLogoFileID names the uploaded logo (files.PurposeLogo); "" removes it. The caller
	// checks that the file is the account's logo.
	BrandLogoFileID       *string
	CreateInvoices        *bool
	MarketingContacts     *bool
	SubscriptionReminders *bool
}

// NewAccountFor returns the defaults of a new test-mode account based in country.
func NewAccountFor(name, country string) Account {
	cur, ok := currency.ForCountryCode(country)
	if !ok {
		cur = "USD"
	}
	a := Account{
		Name: name, Country: country, Timezone: timezoneFor(country), Language: languageFor(country),
		DefaultCurrency: cur, SettlementCurrency: cur, Currencies: []string{cur}, TestMode: true,
		Processor: ProcessorStripe, Branding: Branding{CompanyName: name, Color: "#1F6FEB"},
		Settings: AccountSettings{MarketingContacts: true, SubscriptionReminders: true},
	}
	if slices.Contains(BuiltinCountries, country) {
		a.Processor = ProcessorBuiltin
	}
	return a
}

var countryTimezones = map[string]string{
	"US": "America/New_York", "CA": "America/Toronto", "GB": "Europe/London", "IE": "Europe/Dublin",
	"FR": "Europe/Paris", "DE": "Europe/Berlin", "ES": "Europe/Madrid", "IT": "Europe/Rome",
	"NL": "Europe/Amsterdam", "BE": "Europe/Brussels", "CH": "Europe/Zurich", "AT": "Europe/Vienna",
	"PT": "Europe/Lisbon", "AU": "Australia/Sydney", "NZ": "Pacific/Auckland", "JP": "Asia/Tokyo",
	"MX": "America/Mexico_City", "BR": "America/Sao_Paulo", "IN": "Asia/Kolkata",
}

func timezoneFor(country string) string {
	if tz, ok := countryTimezones[country]; ok {
		return tz
	}
	return "UTC"
}

func languageFor(country string) string {
	switch country {
	case "FR", "BE", "LU", "MC":
		return "fr"
	case "DE", "AT", "CH", "LI":
		return "de"
	case "ES", "MX", "AR", "CO", "CL", "PE":
		return "es"
	}
	return "en"
}

var brandColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// apply validates u against a and returns the changed account, or every problem found.
func (u AccountUpdate) apply(a Account) (Account, error) {
	inv := &problem.InvalidError{}
	setString(&a.Name, u.Name)
	setString(&a.Country, u.Country)
	setString(&a.Timezone, u.Timezone)
	setString(&a.Language, u.Language)
	setString(&a.DefaultCurrency, u.DefaultCurrency)
	setString(&a.SettlementCurrency, u.SettlementCurrency)
	setString(&a.Branding.CompanyName, u.BrandCompanyName)
	setString(&a.Branding.Color, u.BrandColor)
	setString(&a.Branding.LogoFileID, u.BrandLogoFileID)
	if u.Currencies != nil {
		a.Currencies = normalizeCurrencies(*u.Currencies)
	}
	if u.Processor != nil {
		a.Processor = *u.Processor
	}
	setBool(&a.Settings.CreateInvoices, u.CreateInvoices)
	setBool(&a.Settings.MarketingContacts, u.MarketingContacts)
	setBool(&a.Settings.SubscriptionReminders, u.SubscriptionReminders)
	a.validate(inv)
	return a, inv.OrNil()
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func normalizeCurrencies(in []string) []string {
	out := make([]string, 0, len(in))
	for _, c := range in {
		out = append(out, strings.ToUpper(strings.TrimSpace(c)))
	}
	return slices.Compact(out)
}

func (a *Account) validate(inv *problem.InvalidError) {
	a.Country = strings.ToUpper(a.Country)
	a.DefaultCurrency = strings.ToUpper(a.DefaultCurrency)
	a.SettlementCurrency = strings.ToUpper(a.SettlementCurrency)
	if a.Name == "" || len(a.Name) > 200 {
		inv.Add("name", "INVALID_LENGTH", "The account name must be between 1 and 200 characters.")
	}
	if r, err := language.ParseRegion(a.Country); err != nil || !r.IsCountry() || len(a.Country) != 2 {
		inv.Addf("country", "INVALID_COUNTRY", "%q is not an ISO 3166-1 alpha-2 country code.", a.Country)
	}
	if _, err := time.LoadLocation(a.Timezone); err != nil || a.Timezone == "" {
		inv.Addf("timezone", "INVALID_TIMEZONE", "%q is not an IANA time zone such as Europe/Paris.", a.Timezone)
	}
	if !slices.Contains(Languages, a.Language) {
		inv.Addf("language", "INVALID_OPTION", "Language must be one of %s.", strings.Join(Languages, ", "))
	}
	a.validateCurrencies(inv)
	a.validateProcessor(inv)
	if !brandColor.MatchString(a.Branding.Color) {
		inv.Addf("branding.brand_color", "INVALID_FORMAT", "%q is not a colour in #RRGGBB form.", a.Branding.Color)
	}
	if len(a.Branding.CompanyName) > 200 {
		inv.Add("branding.company_name", "INVALID_LENGTH", "The company name must be at most 200 characters.")
	}
}

func (a *Account) validateCurrencies(inv *problem.InvalidError) {
	for _, c := range append([]string{a.DefaultCurrency, a.SettlementCurrency}, a.Currencies...) {
		if !currency.IsValid(c) {
			inv.Addf("currencies", "INVALID_CURRENCY", "%q is not an ISO 4217 currency code.", c)
			return
		}
	}
	if !slices.Contains(a.Currencies, a.DefaultCurrency) {
		inv.Addf("default_currency", "INVALID_OPTION", "The default currency %s must be one of the account's currencies (%s).",
			a.DefaultCurrency, strings.Join(a.Currencies, ", "))
	}
}

func (a *Account) validateProcessor(inv *problem.InvalidError) {
	switch a.Processor {
	case ProcessorStripe:
	case ProcessorBuiltin:
		if !slices.Contains(BuiltinCountries, a.Country) {
			inv.Addf("processor", "PROCESSOR_UNAVAILABLE",
				"The built-in processor is offered to accounts based in the US, the UK and Canada; an account in %s must connect Stripe.", a.Country)
		}
	default:
		inv.Addf("processor", "INVALID_OPTION", "Processor must be builtin or stripe, not %q.", a.Processor)
	}
}

const accountColumns = `id, name, country, timezone, language, default_currency, settlement_currency,
	currencies, test_mode, processor, brand_company_name, brand_logo_file_id, brand_color,
	setting_create_invoices, setting_marketing_contacts, setting_subscription_reminders,
	created_at, updated_at`

func scanAccount(row db.Scanner) (Account, error) {
	var r accountRow
	err := row.Scan(r.targets()...)
	return r.account(), err
}

// accountRow is a row of accountColumns being scanned.
type accountRow struct {
	a          Account
	currencies string // comma-separated
}

func (r *accountRow) targets() []any {
	a := &r.a
	return []any{&a.ID, &a.Name, &a.Country, &a.Timezone, &a.Language, &a.DefaultCurrency,
		&a.SettlementCurrency, &r.currencies, &a.TestMode, &a.Processor, &a.Branding.CompanyName,
		&a.Branding.LogoFileID, &a.Branding.Color, &a.Settings.CreateInvoices,
		&a.Settings.MarketingContacts, &a.Settings.SubscriptionReminders, &a.CreatedAt, &a.UpdatedAt}
}

func (r *accountRow) account() Account {
	a := r.a
	a.Currencies = strings.Split(r.currencies, ",")
	return a
}

// qualified prefixes each column of a comma-separated list with prefix ("a." for "a.id").
func qualified(prefix, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

func getAccount(ctx context.Context, q db.Querier, id int64) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if err != nil {
		return Account{}, db.NotFoundOr(err, "account %d", id)
	}
	return a, nil
}

func insertAccount(ctx context.Context, tx *sql.Tx, a Account) (Account, error) {
	err := tx.QueryRowContext(ctx, `INSERT INTO accounts (name, country, timezone, language,
		default_currency, settlement_currency, currencies, test_mode, processor, brand_company_name,
		brand_color, setting_create_invoices, setting_marketing_contacts, setting_subscription_reminders,
		created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
		a.Name, a.Country, a.Timezone, a.Language, a.DefaultCurrency, a.SettlementCurrency,
		strings.Join(a.Currencies, ","), a.TestMode, a.Processor, a.Branding.CompanyName, a.Branding.Color,
		a.Settings.CreateInvoices, a.Settings.MarketingContacts, a.Settings.SubscriptionReminders,
		a.CreatedAt).Scan(&a.ID)
	if err != nil {
		return Account{}, fmt.Errorf("insert account: %w", err)
	}
	a.UpdatedAt = a.CreatedAt
	return a, nil
}

func updateAccount(ctx context.Context, tx *sql.Tx, a Account) error {
	_, err := tx.ExecContext(ctx, `UPDATE accounts SET name = $2, country = $3, timezone = $4,
		language = $5, default_currency = $6, settlement_currency = $7, currencies = $8, processor = $9,
		brand_company_name = $10, brand_color = $11, setting_create_invoices = $12,
		setting_marketing_contacts = $13, setting_subscription_reminders = $14, updated_at = $15,
		brand_logo_file_id = $16
		WHERE id = $1`,
		a.ID, a.Name, a.Country, a.Timezone, a.Language, a.DefaultCurrency, a.SettlementCurrency,
		strings.Join(a.Currencies, ","), a.Processor, a.Branding.CompanyName, a.Branding.Color,
		a.Settings.CreateInvoices, a.Settings.MarketingContacts, a.Settings.SubscriptionReminders, a.UpdatedAt,
		a.Branding.LogoFileID)
	return err
}
