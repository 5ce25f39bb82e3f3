package ui

import (
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// typePermissions are what reading and writing a type's records asks of a user, as the API
// asks it of tokens: payments need the payment permissions (SPEC F41); the other types
// need none beyond signing in.
var typePermissions = map[string][2]auth.Permission{
	payment.Type: {auth.PermViewPayments, auth.PermManagePayments},
}

// canRead reports whether v's user may see records of type t.
func canRead(v *visit, t string) bool {
	perms, ok := typePermissions[t]
	return !ok || v.Principal.Has(perms[0])
}

// canWrite reports whether v's user may change records of type t and their associations.
func canWrite(v *visit, t string) bool {
	perms, ok := typePermissions[t]
	return !ok || v.Principal.Has(perms[1])
}

// mayWrite refuses a change of records of the types given unless v's user may write each.
func mayWrite(v *visit, types ...string) error {
	for _, t := range types {
		if !canWrite(v, t) {
			return problem.Forbidden("changing %s needs %s", t, typePermissions[t][1])
		}
	}
	return nil
}

// mayRead refuses to show records of type t unless v's user may read them.
func mayRead(v *visit, t string) error {
	if !canRead(v, t) {
		return problem.Forbidden("reading %s needs %s", t, typePermissions[t][0])
	}
	return nil
}
