package crm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestInsertOnConflictOnlyWhereAUniqueIndexIs: a new contact's insert gives way to the
// contact that holds its email (ON CONFLICT DO NOTHING, the unique email index; TestUniqueEmail
// checks the answer); a new payment's or deal's has no unique index to meet and goes
// without the clause, which costs PostgreSQL a speculative insertion per row.
func TestInsertOnConflictOnlyWhereAUniqueIndexIs(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		for _, c := range []struct {
			typeName string
			props    map[string]string
			want     bool
		}{
			{"contacts", map[string]string{"email": "ada@example.com"}, true},
			{"payments", map[string]string{"hs_initial_amount": "10", "hs_currency_code": "USD"}, false},
			{"deals", map[string]string{"dealname": "Renewal"}, false},
		} {
			query, _, err := f.svc.InsertFindingStatement(ctx, f.acct, c.typeName, c.props)
			if err != nil {
				t.Fatalf("%s: %v", c.typeName, err)
			}
			if got := strings.Contains(query, "ON CONFLICT DO NOTHING"); got != c.want {
				t.Errorf("%s: ON CONFLICT DO NOTHING in the insert: %v, want %v:\n%s", c.typeName, got, c.want, query)
			}
		}
	})
}
