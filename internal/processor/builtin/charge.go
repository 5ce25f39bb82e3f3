package builtin

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/calendar"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
	"github.com/settlehq/settle/internal/schedule"
)

// Business days each rail takes before funds are available (SPEC F18).
var railDelays = map[processor.Method]int{
	processor.MethodCard: 2, processor.MethodACH: 4, processor.MethodBACS: 5, processor.MethodPAD: 5, processor.MethodSEPA: 14,
}

// disputeDelay is how long after a charge a dispute card's dispute opens.
const disputeDelay = 72 * time.Hour

// Charge charges a payment method. Cards answer at once, succeeded or failed (a decline is
// a failed charge, not an error); bank debits answer processing and settle or fail after
// their rail's delay. Everything the charge causes — its row, its balance transaction, the
// work it schedules and its events — is written in one transaction.
func (p *Processor) Charge(ctx context.Context, cp processor.ChargeParams) (processor.Charge, error) {
	if err := validateAmount(cp.Amount); err != nil {
		return processor.Charge{}, err
	}
	var c processor.Charge
	err := p.db.InTx(ctx, func(tx *sql.Tx) error {
		m, err := p.loadMerchant(ctx, tx, cp.AccountID)
		if err != nil {
			return err
		}
		c, err = p.charge(ctx, tx, m, cp)
		return err
	})
	return c, err
}

// charge charges a payment method of m in tx.
func (p *Processor) charge(ctx context.Context, tx *sql.Tx, m merchant, cp processor.ChargeParams) (processor.Charge, error) {
	pm, err := loadPaymentMethod(ctx, tx, cp.AccountID, cp.PaymentMethodID)
	if err != nil {
		return processor.Charge{}, err
	}
	return p.chargeMethod(ctx, tx, m, pm, cp.Amount, cp.Description)
}

// chargeMethod charges a stored payment method.
func (p *Processor) chargeMethod(ctx context.Context, tx *sql.Tx, m merchant, pm storedMethod, amount money.Amount, description string) (processor.Charge, error) {
	c, err := newCharge(m, pm, amount)
	if err != nil {
		return processor.Charge{}, err
	}
	if err := p.process(ctx, tx, m, pm, &c, description); err != nil {
		return processor.Charge{}, err
	}
	p.logger.DebugContext(ctx, "charge created", "account_id", c.AccountID, "charge", c.ID, "payment_method", c.PaymentMethodID,
		"amount", c.Amount.String(), "status", string(c.Status), "failure_code", c.FailureCode)
	return c, nil
}

// validateAmount refuses amounts that cannot be charged.
func validateAmount(a money.Amount) error {
	if _, err := money.Currency(a.Currency); err != nil {
		return problem.Invalid("amount.currency", "INVALID_CURRENCY", err.Error())
	}
	if a.Minor <= 0 {
		return problem.Invalid("amount", "INVALID_AMOUNT", "The amount to charge must be above zero.")
	}
	return nil
}

// newCharge decides what is charged: the amount, in EUR for the FX test card on an
// account settling in USD, and its conversion to the settlement currency.
func newCharge(m merchant, pm storedMethod, amount money.Amount) (processor.Charge, error) {
	amount.Currency, _ = money.Currency(amount.Currency)
	c := processor.Charge{ID: newID("ch"), AccountID: m.id, PaymentMethodID: pm.ID, Method: pm.Method, Amount: amount,
		Status: processor.ChargeProcessing, CreatedAt: m.now}
	if pm.outcome == outcomeChargedInEUR && m.settlement == "USD" && amount.Currency == "USD" {
		rate, _ := rateFor("EUR", "USD")
		eur, err := money.ConvertBack(amount, "EUR", rate)
		if err != nil {
			return processor.Charge{}, err
		}
		c.Amount = eur
	}
	rate, err := rateFor(c.Amount.Currency, m.settlement)
	if err != nil {
		return processor.Charge{}, err
	}
	c.Rate, c.Settlement = rate, c.Amount
	if !rate.IsZero() {
		c.Settlement, err = money.Convert(c.Amount, m.settlement, rate)
	}
	return c, err
}

// process runs the simulated network on c and writes what follows from it.
func (p *Processor) process(ctx context.Context, tx *sql.Tx, m merchant, pm storedMethod, c *processor.Charge, description string) error {
	var err error
	switch {
	case pm.Method != processor.MethodCard:
		err = p.submitDebit(ctx, tx, m, c)
	case pm.outcome == outcomeDeclineGeneric || pm.outcome == outcomeDeclineFunds:
		c.Status, c.FailureCode = processor.ChargeFailed, string(pm.outcome[len("decline:"):])
	default:
		err = p.succeedCard(ctx, tx, m, pm, c)
	}
	if err != nil {
		return err
	}
	// The charge and its event are written when tx is about to commit: nothing reads them
	// before, and no payment can yet refer to a charge id this call has just made up, so the
	// event has nothing to be applied to (the payment that records the charge marks it).
	p.insertCharge(tx, *c, description)
	return processor.EmitLater(p.db, tx, chargeEventOf(*c, m.now))
}

// succeedCard records a card charge's money: held until the card rail's delay has passed,
// or available at once for the instant test card; a dispute card's dispute is scheduled.
func (p *Processor) succeedCard(ctx context.Context, tx *sql.Tx, m merchant, pm storedMethod, c *processor.Charge) error {
	c.Status = processor.ChargeSucceeded
	instant := pm.outcome == outcomeInstant
	c.AvailableOn = m.today()
	if !instant {
		cal, err := calendar.ForRail(calendar.Card, m.country)
		if err != nil {
			return err
		}
		c.AvailableOn = cal.AddBusinessDays(m.today(), railDelays[processor.MethodCard])
	}
	t, err := p.recordCharge(ctx, tx, m, c, !instant)
	if err != nil {
		return err
	}
	if !instant {
		schedule.AddLater(p.db, tx, schedule.NewWork{AccountID: m.id, Kind: workRelease, Subject: strconv.FormatInt(t.ID, 10),
			DueAt: settleTime(c.AvailableOn, m.loc), CreatedAt: m.now})
	}
	if pm.outcome == outcomeDisputeFraud || pm.outcome == outcomeDisputeNotRecvd {
		schedule.AddLater(p.db, tx, schedule.NewWork{AccountID: m.id, Kind: workDisputeOpen, Subject: c.ID,
			DueAt: m.now.Add(disputeDelay), CreatedAt: m.now})
	}
	return nil
}

// recordCharge writes the charge's balance transaction, with its fee.
func (p *Processor) recordCharge(ctx context.Context, tx *sql.Tx, m merchant, c *processor.Charge, hold bool) (ledger.Transaction, error) {
	fee, err := m.fee(string(c.Method), c.Settlement)
	if err != nil {
		return ledger.Transaction{}, err
	}
	c.Fee = fee
	t, err := p.ledger.Record(ctx, tx, ledger.NewTransaction{AccountID: m.id, Type: ledger.TypeCharge, SourceID: c.ID,
		Amount: c.Amount, SettlementCurrency: m.settlement, Rate: c.Rate, SettlementFee: fee.Minor,
		AvailableOn: c.AvailableOn, Hold: hold, CreatedAt: m.now})
	c.TransactionID = t.ID
	return t, err
}

// submitDebit leaves a bank debit processing until its rail's delay has passed.
func (p *Processor) submitDebit(ctx context.Context, tx *sql.Tx, m merchant, c *processor.Charge) error {
	cal, err := calendar.ForRail(calendar.Rail(c.Method), m.country)
	if err != nil {
		return err
	}
	c.AvailableOn = cal.AddBusinessDays(m.today(), railDelays[c.Method])
	schedule.AddLater(p.db, tx, schedule.NewWork{AccountID: m.id, Kind: workDebitSettle, Subject: c.ID,
		DueAt: settleTime(c.AvailableOn, m.loc), CreatedAt: m.now})
	return nil
}

// insertCharge stores a new charge when tx is about to commit.
func (p *Processor) insertCharge(tx *sql.Tx, c processor.Charge, description string) {
	var txID any
	if c.TransactionID != 0 {
		txID = c.TransactionID
	}
	p.db.Later(tx, `INSERT INTO processor_charges (id, account_id, payment_method_id, method, currency,
		amount, settlement_currency, rate, status, failure_code, transaction_id, description, created_at, updated_at)`,
		c.ID, c.AccountID, c.PaymentMethodID, string(c.Method), c.Amount.Currency, c.Amount.Minor, c.Settlement.Currency,
		c.Rate.String(), string(c.Status), c.FailureCode, txID, description, c.CreatedAt.UTC(), c.CreatedAt.UTC())
}

// chargeEvent is the body of a charge event.
type chargeEvent struct {
	ID                 string `json:"id"`
	PaymentMethodID    string `json:"payment_method_id"`
	Method             string `json:"method"`
	Amount             int64  `json:"amount"`
	Currency           string `json:"currency"`
	Status             string `json:"status"`
	FailureCode        string `json:"failure_code,omitempty"`
	SettlementAmount   int64  `json:"settlement_amount"`
	SettlementCurrency string `json:"settlement_currency"`
	Fee                int64  `json:"fee"`
	Rate               string `json:"rate,omitempty"`
	AvailableOn        string `json:"available_on"`
	TransactionID      int64  `json:"balance_transaction_id,omitempty"`
}

// emitCharge stores the event that says where c stands and hands it to the sink.
func (p *Processor) emitCharge(ctx context.Context, tx *sql.Tx, c processor.Charge, at time.Time) error {
	return p.publish(ctx, tx, chargeEventOf(c, at))
}

// chargeEventOf is the event that says where c stands.
func chargeEventOf(c processor.Charge, at time.Time) processor.NewEvent {
	typ := map[processor.ChargeStatus]processor.EventType{processor.ChargeSucceeded: processor.EventChargeSucceeded,
		processor.ChargeProcessing: processor.EventChargePending, processor.ChargeFailed: processor.EventChargeFailed}[c.Status]
	data := chargeEvent{ID: c.ID, PaymentMethodID: c.PaymentMethodID, Method: string(c.Method), Amount: c.Amount.Minor,
		Currency: c.Amount.Currency, Status: string(c.Status), FailureCode: c.FailureCode, SettlementAmount: c.Settlement.Minor,
		SettlementCurrency: c.Settlement.Currency, Fee: c.Fee.Minor, Rate: c.Rate.String(),
		AvailableOn: c.AvailableOn.Format(time.DateOnly), TransactionID: c.TransactionID}
	return processor.NewEvent{ID: eventID(c.ID, typ), AccountID: c.AccountID, Type: typ, ObjectID: c.ID, Data: data, CreatedAt: at}
}
