package invoice_test

import (
	"testing"

	"github.com/settlehq/settle/internal/invoice"
)

func TestCanMove(t *testing.T) {
	t.Parallel()
	all := []invoice.Status{invoice.StatusDraft, invoice.StatusOpen, invoice.StatusPaid, invoice.StatusVoid, invoice.StatusUncollectible}
	allowed := map[[2]invoice.Status]bool{
		{invoice.StatusDraft, invoice.StatusOpen}:         true,
		{invoice.StatusOpen, invoice.StatusPaid}:          true,
		{invoice.StatusOpen, invoice.StatusVoid}:          true,
		{invoice.StatusOpen, invoice.StatusUncollectible}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := invoice.CanMove(from, to); got != allowed[[2]invoice.Status{from, to}] {
				t.Errorf("CanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
}

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{1: "INV-0001", 42: "INV-0042", 9999: "INV-9999", 10000: "INV-10000"} {
		if got := invoice.FormatNumber(n); got != want {
			t.Errorf("FormatNumber(%d) = %q, want %q", n, got, want)
		}
	}
}
