package payment

// Refundable reports whether the payment can be refunded now (SPEC F28): it succeeded or was
// partly refunded, and something is left to give back. Refund checks more (what is still
// being processed, the ACH window) and says why it refuses.
func (p Payment) Refundable() bool { return refundable(p.Status) && p.Remaining() > 0 }

// RefundReasons lists the reasons a refund may give, in the order people are offered them.
func RefundReasons() []string {
	return []string{"requested_by_customer", "duplicate", "fraudulent", "other"}
}
