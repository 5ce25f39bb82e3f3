package lineitem

import "strconv"

// MaxPayments is the most payments a fixed term may have: a weekly plan for about 19 years.
const MaxPayments = 1000

// Billing is how a recurring item is charged: every period of Frequency, for Term.
type Billing struct {
	// Frequency is how often the item is charged.
	Frequency Frequency
	// Term is how many times it is charged.
	Term Term
}

// Term is how long a recurring item is charged. The zero Term charges until the subscription
// is cancelled; FixedTerm(n) charges n times, n from 1 to MaxPayments.
type Term struct {
	// Payments is how many charges the subscription makes in all, the first one included;
	// 0 means until cancelled.
	Payments int
}

// FixedTerm returns the term of n payments.
func FixedTerm(n int) Term { return Term{Payments: n} }

// IsUntilCancelled reports whether t charges until cancelled rather than a fixed number of
// times.
func (t Term) IsUntilCancelled() bool { return t.Payments == 0 }

// String writes t for people and logs: "12 payments", "1 payment", "until cancelled".
func (t Term) String() string {
	switch t.Payments {
	case 0:
		return "until cancelled"
	case 1:
		return "1 payment"
	}
	return strconv.Itoa(t.Payments) + " payments"
}
