package builtin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// Tokenize validates payment details and stores what may be kept of them as a payment
// method. Invalid details (a bad check digit, an expired card, a wrong IBAN checksum) are
// refused before anything is written.
func (p *Processor) Tokenize(ctx context.Context, tp processor.TokenizeParams) (processor.PaymentMethod, error) {
	var pm processor.PaymentMethod
	err := p.db.InTx(ctx, func(tx *sql.Tx) error {
		m, err := p.loadMerchant(ctx, tx, tp.AccountID)
		if err != nil {
			return err
		}
		stored, err := p.tokenize(ctx, tx, m, tp)
		pm = stored.PaymentMethod
		return err
	})
	return pm, err
}

// tokenize validates the details and stores the payment method in tx.
func (p *Processor) tokenize(ctx context.Context, tx *sql.Tx, m merchant, tp processor.TokenizeParams) (storedMethod, error) {
	ins, err := validate(tp, m.now)
	if err != nil {
		return storedMethod{}, err
	}
	pm := processor.PaymentMethod{ID: newID("pm"), AccountID: m.id, Method: ins.method, Brand: ins.brand,
		Last4: ins.last4, ExpMonth: ins.expMonth, ExpYear: ins.expYear, BankCode: ins.bankCode, CreatedAt: m.now}
	key, err := p.fingerprintKey(ctx, tx, m.id, m.now)
	if err != nil {
		return storedMethod{}, err
	}
	pm.Fingerprint = fingerprint(key, ins.identity)
	p.insertPaymentMethod(tx, pm, ins)
	p.logger.DebugContext(ctx, "payment method tokenized", "account_id", pm.AccountID, "payment_method", pm.ID,
		"method", string(pm.Method), "brand", pm.Brand, "last4", pm.Last4)
	return storedMethod{PaymentMethod: pm, outcome: ins.outcome}, nil
}

// validate checks the one set of details given.
func validate(tp processor.TokenizeParams, now time.Time) (instrument, error) {
	given := 0
	for _, set := range []bool{tp.Card != nil, tp.ACH != nil, tp.SEPA != nil, tp.BACS != nil, tp.PAD != nil} {
		if set {
			given++
		}
	}
	switch {
	case given != 1:
		return instrument{}, problem.Invalid("payment_method", "ONE_OF", "Give exactly one of card, ach, sepa, bacs or pad.")
	case tp.Card != nil:
		return validateCard(*tp.Card, now)
	case tp.ACH != nil:
		return validateACH(*tp.ACH)
	case tp.SEPA != nil:
		return validateSEPA(*tp.SEPA)
	case tp.BACS != nil:
		return validateBACS(*tp.BACS)
	}
	return validatePAD(*tp.PAD)
}

// fingerprintKey returns the account's secret fingerprint key, creating it on first use. A
// key never changes once committed, so one made before this transaction is remembered (one
// made in it could still roll back).
func (p *Processor) fingerprintKey(ctx context.Context, tx *sql.Tx, accountID int64, now time.Time) ([]byte, error) {
	if key, ok := p.keys.Load(accountID); ok {
		return key.([]byte), nil
	}
	var key string
	var created time.Time
	err := tx.QueryRowContext(ctx, `SELECT fingerprint_key, created_at FROM processor_accounts WHERE account_id = $1`,
		accountID).Scan(&key, &created)
	if err == nil {
		b, err := hex.DecodeString(key)
		if err == nil && created.Before(now) {
			p.keys.Store(accountID, b)
		}
		return b, err
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	if _, err := tx.ExecContext(ctx, `INSERT INTO processor_accounts (account_id, fingerprint_key, created_at)
		VALUES ($1, $2, $3) ON CONFLICT (account_id) DO NOTHING`, accountID, hex.EncodeToString(b), now.UTC()); err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT fingerprint_key FROM processor_accounts WHERE account_id = $1`, accountID).Scan(&key); err != nil {
		return nil, err
	}
	return hex.DecodeString(key)
}

// fingerprint is a keyed hash of a card or account identity: equal for the same card in one
// account, and of no use to recover the number.
func fingerprint(key []byte, identity string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(identity))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// insertPaymentMethod stores a new payment method when tx is about to commit: whoever
// charges it in tx has it in hand.
func (p *Processor) insertPaymentMethod(tx *sql.Tx, pm processor.PaymentMethod, ins instrument) {
	p.db.Later(tx, `INSERT INTO payment_methods (id, account_id, type, brand, last4, exp_month, exp_year,
		bank_code, holder, fingerprint, outcome, created_at)`,
		pm.ID, pm.AccountID, string(pm.Method), pm.Brand, pm.Last4, pm.ExpMonth, pm.ExpYear, pm.BankCode, ins.holder,
		pm.Fingerprint, string(ins.outcome), pm.CreatedAt.UTC())
}

// storedMethod is a payment method with its test outcome.
type storedMethod struct {
	processor.PaymentMethod
	outcome outcome
}

// loadPaymentMethod reads an account's payment method.
func loadPaymentMethod(ctx context.Context, q db.Querier, accountID int64, id string) (storedMethod, error) {
	var s storedMethod
	err := q.QueryRowContext(ctx, `SELECT id, account_id, type, brand, last4, exp_month, exp_year, bank_code,
		fingerprint, outcome, created_at FROM payment_methods WHERE account_id = $1 AND id = $2`, accountID, id).
		Scan(&s.ID, &s.AccountID, &s.Method, &s.Brand, &s.Last4, &s.ExpMonth, &s.ExpYear, &s.BankCode,
			&s.Fingerprint, &s.outcome, &s.CreatedAt)
	if err != nil {
		return storedMethod{}, db.NotFoundOr(err, "payment method %s", id)
	}
	return s, nil
}
