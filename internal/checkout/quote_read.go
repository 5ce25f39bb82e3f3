package checkout

import (
	"context"
	"errors"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// Quote reads a quote of the account as its seller sees it: its line items totalled and,
// once published, its public address. Line items that cannot be paid (or none at all) are
// reported as a *problem.InvalidError beside the quote as far as it could be read, so that
// a draft still being written can be shown.
func (s *Service) Quote(ctx context.Context, accountID, id int64) (Quote, error) {
	e, err := s.crm.Get(ctx, accountID, quoteType, itoa(id), "", crm.ReadOptions{})
	if err != nil {
		return Quote{}, err
	}
	q, err := s.readQuote(ctx, accountID, e.Record)
	var invalid *problem.InvalidError
	if err != nil && !errors.As(err, &invalid) {
		return q, err
	}
	if uerr := s.setQuoteURL(ctx, &q); uerr != nil {
		return q, uerr
	}
	return q, err
}
