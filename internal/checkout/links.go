package checkout

import (
	"context"
	"database/sql"
	"errors"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// slugAttempts is how many slugs Create draws before giving up; with 80 random bits a
// second draw already never happens in practice.
const slugAttempts = 3

// Create validates in and stores it as a new, active link with a slug of its own.
func (s *Service) Create(ctx context.Context, accountID int64, in LinkInput) (Link, error) {
	now := s.clock.Now()
	l := Link{AccountID: accountID, Name: in.Name, Items: in.Items, Methods: in.Methods, AllowQuantity: in.AllowQuantity,
		CollectBillingAddress: in.CollectBillingAddress, Active: true, CreatedAt: now, UpdatedAt: now}
	l.normalize()
	if err := l.validate(); err != nil {
		return Link{}, err
	}
	var err error
	for range slugAttempts {
		l.Slug = newSlug()
		err = s.db.InSavepoint(ctx, func(tx *sql.Tx) error { return insertLink(ctx, tx, &l) })
		if !errors.Is(err, problem.ErrConflict) {
			break
		}
	}
	if err != nil {
		return Link{}, err
	}
	return l, nil
}

// Get reads one link of the account.
func (s *Service) Get(ctx context.Context, accountID, id int64) (Link, error) {
	return s.readLink(ctx, s.db.Reader(ctx), accountID, id, false)
}

// List returns up to limit links of the account, newest first, below id after (0 for the
// first page), and the id to continue after, 0 on the last page.
func (s *Service) List(ctx context.Context, accountID int64, limit int, after int64) ([]Link, int64, error) {
	links, err := s.listLinks(ctx, accountID, limit+1, after)
	if err != nil || len(links) <= limit {
		return links, 0, err
	}
	links = links[:limit]
	return links, links[limit-1].ID, nil
}

// Update changes the fields p sets and checks the result as Create does. The link is locked
// while it changes, so concurrent updates of different fields all take effect.
func (s *Service) Update(ctx context.Context, accountID, id int64, p LinkPatch) (Link, error) {
	var out Link
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		l, err := s.readLink(ctx, tx, accountID, id, true)
		if err != nil {
			return err
		}
		l = p.apply(l)
		l.normalize()
		if err := l.validate(); err != nil {
			return err
		}
		l.UpdatedAt = s.clock.Now()
		out = l
		return updateLink(ctx, tx, l)
	})
	return out, err
}

// Deactivate stops a link from taking payments. It stays readable, and Update can make it
// active again.
func (s *Service) Deactivate(ctx context.Context, accountID, id int64) (Link, error) {
	inactive := false
	return s.Update(ctx, accountID, id, LinkPatch{Active: &inactive})
}

// LinkBySlug reads the link a slug names, whatever its account: a slug alone identifies the
// account a buyer pays.
func (s *Service) LinkBySlug(ctx context.Context, slug string) (Link, error) {
	if len(slug) != slugEncoding.EncodedLen(slugBytes) {
		return Link{}, problem.NotFound("payment link %q", slug)
	}
	return s.bySlug(ctx, slug)
}

// Product returns a product of the account as a one-time line of quantity 1: its name, SKU,
// unit price, currency and tax rate, and its billing when it recurs. A link copies from it
// what its own line leaves out.
func (s *Service) Product(ctx context.Context, accountID int64, productID string) (lineitem.Item, error) {
	e, err := s.crm.Get(ctx, accountID, "products", productID, "", crm.ReadOptions{})
	if err != nil {
		return lineitem.Item{}, err
	}
	v := e.Values
	it := lineitem.Item{Name: v["name"], SKU: v["hs_sku"], ProductID: e.IDString(), Currency: v["hs_currency_code"], Quantity: 1}
	if v["price"] != "" && v["hs_currency_code"] != "" {
		price, err := money.ParseDecimal(v["price"], it.Currency)
		if err != nil {
			return lineitem.Item{}, problem.Invalid("product_id", "INVALID_PRODUCT", "The product's price does not fit its currency: "+err.Error())
		}
		it.UnitPrice = price.Minor
	}
	it.TaxRate, _ = lineitem.ParsePercent(v["hs_tax_rate"]) // an absent or odd rate is no tax
	if f, err := lineitem.ParseFrequency(v["recurringbillingfrequency"]); err == nil {
		payments, _ := crm.ParseNumber(v["hs_recurring_billing_number_of_payments"])
		it.Billing = &lineitem.Billing{Frequency: f, Term: lineitem.FixedTerm(int(payments / 1_000_000))}
	}
	return it, nil
}
