package crm_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

func TestRemoveAssociationLabels(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		ada := f.create(t, "contacts", map[string]string{"email": "ada@example.com"})
		acme := f.create(t, "companies", map[string]string{"name": "Acme"})
		both := []crm.AssociationSpec{{TypeID: 279}, {Category: crm.CategoryBuiltin, TypeID: 1}}
		if _, err := f.svc.Associate(ctx, f.acct, "contacts", ada.IDString(), "companies", acme.IDString(), both, api); err != nil {
			t.Fatal(err)
		}
		primary := []crm.AssociationSpec{{TypeID: 1}}
		cases := []struct {
			name    string
			account int64
			specs   []crm.AssociationSpec
			wantErr error
			want    []int // type ids left from the company to the contact
		}{
			{name: "another account", account: f.other, specs: primary, wantErr: problem.ErrNotFound, want: []int{2, 280}},
			{name: "no spec", account: f.acct, want: []int{2, 280}},
			{name: "the primary label", account: f.acct, specs: primary, want: []int{280}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				err := f.svc.RemoveAssociationLabels(ctx, tc.account, "contacts", ada.IDString(), "companies", acme.IDString(), tc.specs)
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				page, err := f.svc.Associations(ctx, f.acct, "companies", acme.IDString(), "contacts", 0, 10)
				if err != nil || len(page.Results) != 1 {
					t.Fatalf("associations %+v, %v", page, err)
				}
				var got []int
				for _, typ := range page.Results[0].Types {
					got = append(got, typ.TypeID)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("types left %v, want %v", got, tc.want)
				}
			})
		}
	})
}
