package auth

import (
	"slices"
	"sort"
	"strings"
)

// Permission is something a user may be allowed to do in an account.
type Permission string

// The permissions a user can hold.
const (
	// PermSuperAdmin grants every permission, and alone lets a user manage other users.
	PermSuperAdmin Permission = "super_admin"
	// PermManagePayments lets a user see payment history, download reports, resend receipts,
	// cancel subscriptions and refund (SPEC F41). It includes PermViewPayments.
	PermManagePayments Permission = "manage_payments_and_subscriptions"
	// PermViewPayments lets a user see payment records.
	PermViewPayments Permission = "view_payments"
	// PermManageSettings lets a user change the account's settings.
	PermManageSettings Permission = "manage_settings"
)

// Permissions lists every permission, in the order the dashboard shows them.
var Permissions = []Permission{PermSuperAdmin, PermManagePayments, PermViewPayments, PermManageSettings}

// implied lists what each permission includes besides itself.
var implied = map[Permission][]Permission{
	PermSuperAdmin:     {PermManagePayments, PermViewPayments, PermManageSettings},
	PermManagePayments: {PermViewPayments},
}

// PermissionSet is the permissions a user holds, as stored.
type PermissionSet []Permission

// Has reports whether the set grants p, directly or through a permission that includes it.
func (s PermissionSet) Has(p Permission) bool {
	for _, held := range s {
		if held == p || slices.Contains(implied[held], p) {
			return true
		}
	}
	return false
}

// ParsePermissions reads a comma-separated list, as stored, ignoring unknown names.
func ParsePermissions(s string) PermissionSet {
	var out PermissionSet
	for _, name := range strings.Split(s, ",") {
		if p := Permission(strings.TrimSpace(name)); slices.Contains(Permissions, p) {
			out = append(out, p)
		}
	}
	return out
}

// String returns the stored form: sorted, comma-separated, without duplicates.
func (s PermissionSet) String() string {
	names := make([]string, 0, len(s))
	for _, p := range s {
		names = append(names, string(p))
	}
	sort.Strings(names)
	return strings.Join(slices.Compact(names), ",")
}

// Scope is what an API token may be used for. Scope names follow the CRM's own, so existing
// client configurations carry over.
type Scope string

// ScopeInfo describes a scope and the user permission it needs ("" for any active user).
type ScopeInfo struct {
	Name     Scope
	Requires Permission
	Summary  string
}

// The scopes Settle's own routes use by name.
const (
	ScopeAccountRead      Scope = "settle.account.read"
	ScopeAccountWrite     Scope = "settle.account.write"
	ScopeUsersRead        Scope = "settle.users.read"
	ScopeUsersWrite       Scope = "settle.users.write"
	ScopeTokensWrite      Scope = "settle.api_tokens.write"
	ScopePaymentsRefund   Scope = "settle.payments.refund"
	ScopePaymentsRead     Scope = "crm.objects.commercepayments.read"
	ScopePaymentsWrite    Scope = "crm.objects.commercepayments.write"
	ScopeContactsRead     Scope = "crm.objects.contacts.read"
	ScopeContactsWrite    Scope = "crm.objects.contacts.write"
	ScopeCompaniesRead    Scope = "crm.objects.companies.read"
	ScopeCompaniesWrite   Scope = "crm.objects.companies.write"
	ScopeDealsRead        Scope = "crm.objects.deals.read"
	ScopeDealsWrite       Scope = "crm.objects.deals.write"
	ScopeProductsRead     Scope = "crm.objects.products.read"
	ScopeProductsWrite    Scope = "crm.objects.products.write"
	ScopeLineItemsRead    Scope = "crm.objects.line_items.read"
	ScopeLineItemsWrite   Scope = "crm.objects.line_items.write"
	ScopeQuotesRead       Scope = "crm.objects.quotes.read"
	ScopeQuotesWrite      Scope = "crm.objects.quotes.write"
	ScopeInvoicesRead     Scope = "crm.objects.invoices.read"
	ScopeInvoicesWrite    Scope = "crm.objects.invoices.write"
	ScopeSubscriptionsRd  Scope = "crm.objects.subscriptions.read"
	ScopeSubscriptionsWr  Scope = "crm.objects.subscriptions.write"
	ScopeSubscriptionsMgr Scope = "settle.subscriptions.manage"
	ScopeTasksRead        Scope = "crm.objects.tasks.read"
	ScopeTasksWrite       Scope = "crm.objects.tasks.write"
	ScopeSchemasWrite     Scope = "crm.schemas.write"
	ScopePaymentsHistory  Scope = "settle.payments.history.read"
	ScopeLinksRead        Scope = "settle.payment_links.read"
	ScopeLinksWrite       Scope = "settle.payment_links.write"
)

// Scopes lists every scope a token can carry.
var Scopes = []ScopeInfo{
	{ScopeAccountRead, "", "Read the account and its settings"},
	{ScopeAccountWrite, PermManageSettings, "Change the account's settings"},
	{ScopeUsersRead, PermManageSettings, "List the account's users"},
	{ScopeUsersWrite, PermSuperAdmin, "Add, change and remove users"},
	{ScopeTokensWrite, "", "Create and revoke API tokens"},
	{ScopeContactsRead, "", "Read contacts"},
	{ScopeContactsWrite, "", "Create, change and archive contacts"},
	{ScopeCompaniesRead, "", "Read companies"},
	{ScopeCompaniesWrite, "", "Create, change and archive companies"},
	{ScopeDealsRead, "", "Read deals"},
	{ScopeDealsWrite, "", "Create, change and archive deals"},
	{ScopeProductsRead, "", "Read products"},
	{ScopeProductsWrite, "", "Create, change and archive products"},
	{ScopeLineItemsRead, "", "Read line items"},
	{ScopeLineItemsWrite, "", "Create, change and archive line items"},
	{ScopeQuotesRead, "", "Read quotes"},
	{ScopeQuotesWrite, "", "Create, change and archive quotes"},
	{ScopeInvoicesRead, "", "Read invoices"},
	{ScopeInvoicesWrite, "", "Create, change and archive invoices"},
	{ScopeTasksRead, "", "Read tasks"},
	{ScopeTasksWrite, "", "Create, change and archive tasks"},
	{ScopeSchemasWrite, PermManageSettings, "Add, change and archive custom properties and association labels"},
	{ScopeSubscriptionsRd, PermViewPayments, "Read subscriptions"},
	{ScopeSubscriptionsWr, PermManagePayments, "Create and change subscriptions"},
	{ScopeSubscriptionsMgr, PermManagePayments, "Cancel subscriptions"},
	{ScopePaymentsRead, PermViewPayments, "Read payment records"},
	{ScopePaymentsWrite, PermManagePayments, "Record and change manual and integration payments"},
	{ScopePaymentsRefund, PermManagePayments, "Refund payments"},
	{ScopePaymentsHistory, PermManagePayments, "See the history of payments"},
	{ScopeLinksRead, "", "Read payment links"},
	{ScopeLinksWrite, "", "Create, change and deactivate payment links"},
}

// LookupScope returns the description of a scope name.
func LookupScope(name Scope) (ScopeInfo, bool) {
	for _, s := range Scopes {
		if s.Name == name {
			return s, true
		}
	}
	return ScopeInfo{}, false
}

// AllowedScopes returns every scope a user holding perms may grant to a token.
func AllowedScopes(perms PermissionSet) []Scope {
	var out []Scope
	for _, s := range Scopes {
		if s.Requires == "" || perms.Has(s.Requires) {
			out = append(out, s.Name)
		}
	}
	return out
}

func joinScopes(scopes []Scope) string {
	names := make([]string, len(scopes))
	for i, s := range scopes {
		names[i] = string(s)
	}
	sort.Strings(names)
	return strings.Join(slices.Compact(names), " ")
}

func splitScopes(s string) []Scope {
	var out []Scope
	for _, name := range strings.Fields(s) {
		out = append(out, Scope(name))
	}
	return out
}
