package payment

import (
	"context"

	"github.com/settlehq/settle/internal/crm"
)

// Get reads one payment of the account.
func (s *Service) Get(ctx context.Context, accountID, id int64) (Payment, error) {
	e, err := s.crm.Get(ctx, accountID, Type, idString(id), "", crm.ReadOptions{})
	if err != nil {
		return Payment{}, err
	}
	return fromRecord(accountID, e.Record), nil
}

// Related returns the ids of a payment's contact, company, deal, invoice and subscription
// (0 when absent).
func (s *Service) Related(ctx context.Context, p Payment) (Linked, error) {
	rel, err := s.relatedOf(ctx, p)
	return rel.linked(), err
}

// List returns a page of the account's payments, newest first; after is the id to continue
// below (0 for the first page).
func (s *Service) List(ctx context.Context, accountID int64, limit int, after int64) ([]Payment, int64, error) {
	body := `{"sorts":[{"propertyName":"hs_object_id","direction":"DESCENDING"}],"limit":` + itoa(limit+1)
	if after > 0 {
		body += `,"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"LT","value":"` + itoa64(after) + `"}]}]`
	}
	req, err := crm.ParseSearchRequest([]byte(body + "}"))
	if err != nil {
		return nil, 0, err
	}
	res, err := s.crm.Search(ctx, accountID, Type, req)
	if err != nil {
		return nil, 0, err
	}
	var out []Payment
	for _, r := range res.Results {
		out = append(out, fromRecord(accountID, r))
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}
