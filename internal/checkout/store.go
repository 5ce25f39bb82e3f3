package checkout

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/lineitem"
)

// slugBytes is the randomness of a slug: 80 bits, written as 16 base32 characters.
const slugBytes = 10

// slugEncoding is base32 in lower case: letters and digits 2-7, safe in a URL and
// unambiguous when read aloud (no 0, 1, 8 or 9 to confuse with letters).
var slugEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newSlug returns a random slug.
func newSlug() string {
	b := make([]byte, slugBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return slugEncoding.EncodeToString(b)
}

// storedItem is a line item as a link's items column keeps it. Its fields are named
// explicitly so that renaming a Go field never changes what is stored.
type storedItem struct {
	Name            string             `json:"name"`
	SKU             string             `json:"sku,omitempty"`
	ProductID       string             `json:"product_id,omitempty"`
	UnitPrice       int64              `json:"unit_price"`
	Currency        string             `json:"currency"`
	Quantity        int64              `json:"quantity"`
	DiscountPercent lineitem.Percent   `json:"discount_percent,omitempty"`
	DiscountAmount  int64              `json:"discount_amount,omitempty"`
	TaxRate         lineitem.Percent   `json:"tax_rate,omitempty"`
	Frequency       lineitem.Frequency `json:"frequency,omitempty"`
	Payments        int                `json:"payments,omitempty"`
}

func encodeItems(items []lineitem.Item) string {
	out := make([]storedItem, len(items))
	for i, it := range items {
		out[i] = storedItem{Name: it.Name, SKU: it.SKU, ProductID: it.ProductID, UnitPrice: it.UnitPrice, Currency: it.Currency,
			Quantity: it.Quantity, DiscountPercent: it.Discount.Percent, DiscountAmount: it.Discount.Amount, TaxRate: it.TaxRate}
		if it.Billing != nil {
			out[i].Frequency, out[i].Payments = it.Billing.Frequency, it.Billing.Term.Payments
		}
	}
	b, _ := json.Marshal(out) // plain strings and numbers always encode
	return string(b)
}

func decodeItems(s string) ([]lineitem.Item, error) {
	var stored []storedItem
	if err := json.Unmarshal([]byte(s), &stored); err != nil {
		return nil, fmt.Errorf("read a link's items: %w", err)
	}
	out := make([]lineitem.Item, len(stored))
	for i, st := range stored {
		out[i] = lineitem.Item{Name: st.Name, SKU: st.SKU, ProductID: st.ProductID, UnitPrice: st.UnitPrice, Currency: st.Currency,
			Quantity: st.Quantity, Discount: lineitem.Discount{Percent: st.DiscountPercent, Amount: st.DiscountAmount}, TaxRate: st.TaxRate}
		if st.Frequency != "" {
			out[i].Billing = &lineitem.Billing{Frequency: st.Frequency, Term: lineitem.FixedTerm(st.Payments)}
		}
	}
	return out, nil
}

func encodeMethods(ms []Method) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = string(m)
	}
	return strings.Join(names, ",")
}

func decodeMethods(s string) []Method {
	var out []Method
	for _, name := range strings.Split(s, ",") {
		if name != "" {
			out = append(out, Method(name))
		}
	}
	return out
}

const linkColumns = `id, account_id, slug, name, currency, items, methods, allow_quantity, collect_billing_address,
	active, created_at, updated_at`

func scanLink(row db.Scanner) (Link, error) {
	var l Link
	var items, methods string
	if err := row.Scan(&l.ID, &l.AccountID, &l.Slug, &l.Name, &l.Currency, &items, &methods, &l.AllowQuantity,
		&l.CollectBillingAddress, &l.Active, &l.CreatedAt, &l.UpdatedAt); err != nil {
		return Link{}, err
	}
	l.Methods = decodeMethods(methods)
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	var err error
	l.Items, err = decodeItems(items)
	return l, err
}

// insertLink writes a new link and sets its id.
func insertLink(ctx context.Context, tx *sql.Tx, l *Link) error {
	return tx.QueryRowContext(ctx, `INSERT INTO checkout_links (account_id, slug, name, currency, items, methods, allow_quantity,
		collect_billing_address, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		l.AccountID, l.Slug, l.Name, l.Currency, encodeItems(l.Items), encodeMethods(l.Methods), l.AllowQuantity,
		l.CollectBillingAddress, l.Active, l.CreatedAt, l.UpdatedAt).Scan(&l.ID)
}

// updateLink writes every changeable field of l.
func updateLink(ctx context.Context, tx *sql.Tx, l Link) error {
	_, err := tx.ExecContext(ctx, `UPDATE checkout_links SET name = $3, currency = $4, items = $5, methods = $6,
		allow_quantity = $7, collect_billing_address = $8, active = $9, updated_at = $10 WHERE account_id = $1 AND id = $2`,
		l.AccountID, l.ID, l.Name, l.Currency, encodeItems(l.Items), encodeMethods(l.Methods), l.AllowQuantity,
		l.CollectBillingAddress, l.Active, l.UpdatedAt)
	return err
}

// readLink reads one link of the account through q, locking it for the rest of the
// transaction when forUpdate is set.
func (s *Service) readLink(ctx context.Context, q db.Querier, accountID, id int64, forUpdate bool) (Link, error) {
	lock := ""
	if forUpdate {
		lock = s.db.Dialect.ForUpdate()
	}
	l, err := scanLink(q.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM checkout_links WHERE account_id = $1 AND id = $2`+lock,
		accountID, id))
	if err != nil {
		return Link{}, db.NotFoundOr(err, "payment link %d", id)
	}
	return l, nil
}

// bySlug reads the link a slug names, whatever its account.
func (s *Service) bySlug(ctx context.Context, slug string) (Link, error) {
	l, err := scanLink(s.db.Reader(ctx).QueryRowContext(ctx, `SELECT `+linkColumns+` FROM checkout_links WHERE slug = $1`, slug))
	if err != nil {
		return Link{}, db.NotFoundOr(err, "payment link %q", slug)
	}
	return l, nil
}

// listLinks reads up to limit links of the account below id after (0: from the newest),
// newest first.
func (s *Service) listLinks(ctx context.Context, accountID int64, limit int, after int64) ([]Link, error) {
	if after <= 0 {
		after = 1<<63 - 1
	}
	return db.CollectRows[Link](s.db.Reader(ctx).QueryContext(ctx, `SELECT `+linkColumns+` FROM checkout_links
		WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, accountID, after, limit))(scanLink)
}
