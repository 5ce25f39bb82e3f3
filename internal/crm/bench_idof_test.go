package crm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// BenchmarkIDOfByEmail looks contacts up by email, as recording a payment looks its buyer
// up, in an account of 5,000 contacts whose statistics are gathered as the server's
// statistics job gathers them. On SQLite a lookup that the planner prepares afresh on each
// run, having looked its parameter up in the statistics, takes about twice as long.
//
//	go test ./internal/crm -run '^$' -bench IDOfByEmail
func BenchmarkIDOfByEmail(b *testing.B) {
	const contacts = 5000
	for _, engine := range dbtest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			f := newFixture(b, engine)
			ctx := context.Background()
			for first := 0; first < contacts; first += 100 {
				inputs := make([]crm.Input, 100)
				for i := range inputs {
					inputs[i] = crm.Input{Properties: map[string]string{"email": fmt.Sprintf("buyer%d@example.com", first+i)}}
				}
				if _, err := f.svc.BatchCreate(ctx, f.acct, "contacts", inputs, api); err != nil {
					b.Fatal(err)
				}
			}
			if err := analyze(f.db); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				email := fmt.Sprintf("Buyer%d@example.com", i*7919%contacts)
				if _, err := f.svc.IDOf(ctx, f.acct, "contacts", "email", email); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
