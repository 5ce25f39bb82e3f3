package checkout

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/schedule"
)

// quoteType is the CRM object type of quotes.
const quoteType = "quotes"

// QuoteStatus is where a quote stands (hs_status).
type QuoteStatus string

// The statuses of a quote. One whose status was never set counts as a draft.
const (
	QuoteDraft     QuoteStatus = "DRAFT"
	QuotePublished QuoteStatus = "PUBLISHED"
	QuoteAccepted  QuoteStatus = "ACCEPTED"
	QuoteExpired   QuoteStatus = "EXPIRED"
)

// Quote is a quote as its buyer sees it: the CRM record with its line items read and totalled.
type Quote struct {
	ID        int64
	AccountID int64
	Title     string
	Status    QuoteStatus
	// ExpiresAt is hs_expiration_date; a published quote expires when the account's clock
	// passes it.
	ExpiresAt time.Time
	Items     []lineitem.Item
	Totals    lineitem.Totals
	// URL is where the buyer accepts and pays it, {base}/quotes/{token}; empty on a draft.
	URL    string
	Record crm.Record
}

// Amount is what accepting the quote pays: its total after discounts.
func (q Quote) Amount() money.Amount {
	return money.Amount{Minor: q.Totals.Total, Currency: q.Totals.Currency}
}

// quoteStatusOf is the status of a quote's record.
func quoteStatusOf(rec crm.Record) QuoteStatus {
	if v := rec.Values["hs_status"]; v != "" {
		return QuoteStatus(v)
	}
	return QuoteDraft
}

// Publish makes a draft quote payable: it checks that it has line items that can be paid
// (one currency, more than nothing), an expiration date still ahead on the account's clock
// and a contact, sets hs_quote_amount (the total after discounts, with tax) and hs_currency,
// moves it to PUBLISHED and gives it a public token. Every problem is reported at once.
func (s *Service) Publish(ctx context.Context, accountID, id int64) (Quote, error) {
	var out Quote
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rec, err := s.crm.LockRecord(ctx, tx, accountID, quoteType, id)
		if err != nil {
			return err
		}
		q, err := s.checkPublish(ctx, tx, accountID, rec)
		if err != nil {
			return err
		}
		rec, err = s.crm.SetProperties(ctx, accountID, quoteType, id, map[string]string{"hs_status": string(QuotePublished),
			"hs_quote_amount": q.Amount().Decimal(), "hs_currency": q.Totals.Currency}, settle())
		if err != nil {
			return err
		}
		q.Record, q.Status = rec, QuotePublished
		out = q
		s.expireAt(tx, q)
		return s.setQuoteURL(ctx, &out)
	})
	return out, err
}

// workQuoteExpire is the scheduled work that expires a published quote at its expiration
// date, so that lists, searches and segments show it EXPIRED from then on, read or not.
const workQuoteExpire = "checkout.quote_expire"

// Register has the schedule run the work checkout leaves for later: expiring quotes.
func (s *Service) Register(sc *schedule.Schedule) { sc.Handle(workQuoteExpire, s.expireQuote) }

// expireAt schedules q's expiry at its expiration date, written with tx's held-back rows.
func (s *Service) expireAt(tx *sql.Tx, q Quote) {
	schedule.AddLater(s.db, tx, schedule.NewWork{AccountID: q.AccountID, Kind: workQuoteExpire, Subject: itoa(q.ID),
		DueAt: q.ExpiresAt, CreatedAt: s.clock.Now()})
}

// expireQuote is workQuoteExpire's handler: it marks the quote EXPIRED when it is still
// published and past its expiration date. A quote whose date was moved later since is
// scheduled again at the new date; one accepted meanwhile is left alone.
func (s *Service) expireQuote(ctx context.Context, tx *sql.Tx, w schedule.Work) error {
	id, err := strconv.ParseInt(w.Subject, 10, 64)
	if err != nil {
		return fmt.Errorf("quote id %q: %w", w.Subject, err)
	}
	ctx = s.db.WithTx(ctx, tx)
	rec, err := s.crm.LockRecord(ctx, tx, w.AccountID, quoteType, id)
	if errors.Is(err, problem.ErrNotFound) || err == nil && quoteStatusOf(rec) != QuotePublished {
		return nil // deleted, accepted or expired already
	}
	if err != nil {
		return err
	}
	past, err := s.pastExpiry(ctx, tx, w.AccountID, rec)
	if err != nil {
		return err
	}
	if !past {
		exp, _ := crm.ParseDatetime(rec.Values["hs_expiration_date"])
		s.expireAt(tx, Quote{ID: id, AccountID: w.AccountID, ExpiresAt: exp})
		return nil
	}
	return s.setExpired(ctx, w.AccountID, id)
}

// checkPublish refuses to publish a quote that is not a draft or is not complete, and
// returns it read.
func (s *Service) checkPublish(ctx context.Context, tx *sql.Tx, accountID int64, rec crm.Record) (Quote, error) {
	bad := &problem.InvalidError{Summary: "The quote cannot be published"}
	if st := quoteStatusOf(rec); st != QuoteDraft {
		bad.Addf("hs_status", "INVALID_TRANSITION", "Quote %d is %s: only a draft can be published.", rec.ID, st)
	}
	now, err := s.clocks.Now(ctx, tx, accountID)
	if err != nil {
		return Quote{}, err
	}
	exp, err := crm.ParseDatetime(rec.Values["hs_expiration_date"])
	switch {
	case rec.Values["hs_expiration_date"] == "" || err != nil:
		bad.Add("hs_expiration_date", "REQUIRED", "A quote needs an expiration date to be published.")
	case !exp.After(now):
		bad.Addf("hs_expiration_date", "INVALID_RANGE", "The expiration date must be in the future; it is %s.", crm.FormatDatetime(now))
	}
	ids, err := s.crm.LinkedIDs(ctx, accountID, quoteType, rec.ID, []string{"contacts"})
	if err != nil {
		return Quote{}, err
	}
	if len(ids["contacts"]) == 0 {
		bad.Add("contacts", "REQUIRED", "Associate the quote with the contact it is for.")
	}
	q, err := s.readQuote(ctx, accountID, rec)
	var invalid *problem.InvalidError
	if err != nil && !errors.As(err, &invalid) {
		return q, err
	}
	bad.Merge(err)
	return q, bad.OrNil()
}

// readQuote reads a quote's line items and totals them. Line items that cannot be paid are
// a *problem.InvalidError.
func (s *Service) readQuote(ctx context.Context, accountID int64, rec crm.Record) (Quote, error) {
	q := Quote{ID: rec.ID, AccountID: accountID, Title: rec.Values["hs_title"], Status: quoteStatusOf(rec), Record: rec}
	q.ExpiresAt, _ = crm.ParseDatetime(rec.Values["hs_expiration_date"])
	items, err := s.quoteItems(ctx, accountID, rec)
	if err != nil {
		return q, err
	}
	if len(items) == 0 {
		return q, problem.Invalid(lineitem.ListField, "REQUIRED", "The quote has no line items.")
	}
	o := order{}
	if err := o.compute(items); err != nil {
		return q, err
	}
	q.Items, q.Totals = o.items, o.totals
	return q, nil
}

// setQuoteURL gives a published quote its public address, making its token on first use.
func (s *Service) setQuoteURL(ctx context.Context, q *Quote) error {
	if q.Status == QuoteDraft {
		return nil
	}
	token, err := s.publicToken(ctx, q.AccountID, tokenQuote, q.ID)
	q.URL = s.baseURL + "/quotes/" + token
	return err
}

// QuoteByToken reads the quote a public token names, whatever its account, for the page
// where a buyer accepts it. A published quote whose expiration date has passed on the
// account's clock is marked EXPIRED as it is read, even before its scheduled expiry has run
// (the schedule runs every few seconds).
func (s *Service) QuoteByToken(ctx context.Context, token string) (Quote, error) {
	acct, id, err := s.byToken(ctx, tokenQuote, token)
	if err != nil {
		return Quote{}, err
	}
	e, err := s.crm.Get(ctx, acct, quoteType, itoa(id), "", crm.ReadOptions{})
	if err != nil {
		return Quote{}, err
	}
	if expired, err := s.expireIfDue(ctx, acct, e.Record); err != nil || expired {
		e.Record.Values["hs_status"] = string(QuoteExpired)
		if err != nil {
			return Quote{}, err
		}
	}
	q, err := s.readQuote(ctx, acct, e.Record)
	if err != nil && q.Status == QuotePublished {
		return Quote{}, err
	}
	q.URL = s.baseURL + "/quotes/" + token
	return q, nil
}

// expireIfDue marks a published quote past its expiration date EXPIRED, in a transaction
// of its own, and reports whether it is expired.
func (s *Service) expireIfDue(ctx context.Context, accountID int64, rec crm.Record) (bool, error) {
	if quoteStatusOf(rec) != QuotePublished {
		return quoteStatusOf(rec) == QuoteExpired, nil
	}
	past, err := s.pastExpiry(ctx, s.db.Reader(ctx), accountID, rec)
	if err != nil || !past {
		return false, err
	}
	return true, s.markExpired(ctx, accountID, rec.ID)
}

// pastExpiry reports whether the account's clock has reached a quote's expiration date. A
// quote without a readable one has passed it: it could not have been published.
func (s *Service) pastExpiry(ctx context.Context, q db.Querier, accountID int64, rec crm.Record) (bool, error) {
	now, err := s.clocks.Now(ctx, q, accountID)
	if err != nil {
		return false, err
	}
	exp, err := crm.ParseDatetime(rec.Values["hs_expiration_date"])
	return err != nil || !exp.After(now), nil
}

// markExpired moves a quote that is still published to EXPIRED, in a transaction of its own.
func (s *Service) markExpired(ctx context.Context, accountID, id int64) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		locked, err := s.crm.LockRecord(ctx, tx, accountID, quoteType, id)
		if err != nil || quoteStatusOf(locked) != QuotePublished {
			return err
		}
		return s.setExpired(ctx, accountID, id)
	})
}

// setExpired writes EXPIRED on a quote its caller has locked and found published.
func (s *Service) setExpired(ctx context.Context, accountID, id int64) error {
	_, err := s.crm.SetProperties(ctx, accountID, quoteType, id, map[string]string{"hs_status": string(QuoteExpired)}, settle())
	return err
}

// errQuoteStatus is the refusal of a checkout of a quote in status st.
func errQuoteStatus(id int64, st QuoteStatus) error {
	msg := map[QuoteStatus]string{QuoteDraft: "is not published yet", QuoteAccepted: "was already accepted and paid",
		QuoteExpired: "has expired; ask the seller for a new one"}[st]
	code := map[QuoteStatus]string{QuoteDraft: "QUOTE_NOT_PUBLISHED", QuoteAccepted: "QUOTE_ACCEPTED", QuoteExpired: "QUOTE_EXPIRED"}[st]
	if msg == "" {
		msg, code = fmt.Sprintf("is %s", st), "QUOTE_NOT_PAYABLE"
	}
	return problem.Invalid("source.id", code, fmt.Sprintf("Quote %d %s.", id, msg))
}
