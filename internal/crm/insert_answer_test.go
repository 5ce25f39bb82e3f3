package crm_test

import (
	"context"
	"maps"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// sampleValue is a valid value of p, in a form other than the canonical one where the type
// has several (a number with a trailing zero, a date-time in milliseconds since 1970).
func sampleValue(p crm.Property) string {
	switch {
	case p.Format == "email":
		return "Ada.Sample@Example.com"
	case p.Format == "currency":
		return "EUR"
	case len(p.Options) > 0:
		return p.Options[len(p.Options)-1].Value
	}
	switch p.Type {
	case crm.Number:
		return "1250.50"
	case crm.Datetime:
		return "1764000000123"
	case crm.Date:
		return "2026-03-27"
	case crm.Bool:
		return "TRUE"
	}
	return "Sample <b>value</b> & co"
}

// TestCreateAnswersAsAReadDoes creates a record of every type with a value in every
// property Settle may write: what Create returns (built from the values written, not read
// back) is what a read of the record returns.
func TestCreateAnswersAsAReadDoes(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		for _, typ := range crm.NewRegistry().Types() {
			props := map[string]string{}
			for _, p := range typ.Properties {
				if !p.Custom && p.Column != "id" && p.Column != "created_at" && p.Column != "updated_at" {
					props[p.Name] = sampleValue(p)
				}
			}
			created, err := f.svc.Create(context.Background(), f.acct, typ.Name, crm.Input{Properties: props, System: true}, api)
			if err != nil {
				t.Fatalf("create %s: %v", typ.Name, err)
			}
			read, err := f.svc.Get(context.Background(), f.acct, typ.Name, created.IDString(), "", crm.ReadOptions{})
			if err != nil {
				t.Fatalf("read %s: %v", typ.Name, err)
			}
			if !maps.Equal(created.Values, read.Record.Values) || !created.CreatedAt.Equal(read.Record.CreatedAt) ||
				!created.UpdatedAt.Equal(read.Record.UpdatedAt) {
				t.Errorf("%s: created %v\nread %v", typ.Name, created.Values, read.Record.Values)
			}
			if len(created.Values) < len(props) {
				t.Errorf("%s: %d values for %d written", typ.Name, len(created.Values), len(props))
			}
		}
	})
}
