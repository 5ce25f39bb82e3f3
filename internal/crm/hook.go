package crm

import (
	"context"
	"database/sql"
)

// Hook lets the capability that owns a type (payments own commerce_payments) take part in
// the API's writes to it: refuse a write, and add its effects in the same transaction.
// System writes — Settle's own, through Input.System or SetProperties — do not call hooks.
type Hook interface {
	// BeforeCreate may refuse a record about to be created with props, the caller's
	// values, or complete it: the values it returns are written with the caller's, in the
	// same insert, even read-only ones. It runs before the creating transaction begins,
	// unless the create joins a transaction ctx already carries: what it reads is what was
	// committed, and it must write nothing.
	BeforeCreate(ctx context.Context, accountID int64, props map[string]string) (map[string]string, error)
	// AfterCreate runs in the creating transaction; ctx carries it, so services called with
	// ctx join it. It reports whether it changed the new record's own values, which the
	// creation then reads again for its answer.
	AfterCreate(ctx context.Context, tx *sql.Tx, c Created) (changed bool, err error)
	// BeforeChange may refuse a change of rec: new property values, or nil for an archive or
	// a restore. ctx carries the changing transaction.
	BeforeChange(ctx context.Context, accountID int64, rec Record, props map[string]string) error
	// AfterUpdate runs in the updating transaction (carried by ctx too) with the record
	// before and after.
	AfterUpdate(ctx context.Context, tx *sql.Tx, accountID int64, before, after Record, src Source) error
}

// Created is a record a write through the API just created, as its hook's AfterCreate sees
// it.
type Created struct {
	AccountID int64
	Record    Record
	Source    Source
	// Associated reports whether the write associated the record with others. When it did
	// not, the record has no associations yet, and the hook need not read them.
	Associated bool
	// Prepared is what the hook's PrepareCreate returned, when it is a CreatePreparer.
	Prepared any
}

// CreatePreparer is implemented by a type's Hook that reads something its AfterCreate needs
// before the creating transaction begins, so that the reading does not take the
// transaction's time: on SQLite, writers take turns on the one write transaction.
type CreatePreparer interface {
	// PrepareCreate runs after BeforeCreate, with the new record's values as strings, the
	// caller's and BeforeCreate's, under the same rules; what it returns reaches AfterCreate
	// as Created.Prepared.
	PrepareCreate(ctx context.Context, accountID int64, values map[string]string) (any, error)
}

// SetHook registers the hook of a type. The composition root calls it before serving.
func (s *Service) SetHook(typeName string, h Hook) {
	if s.hooks == nil {
		s.hooks = map[string]Hook{}
	}
	s.hooks[typeName] = h
}

// hook returns the hook of t for a write, or nil when there is none or the write is Settle's.
func (s *Service) hook(t *ObjectType, system bool) Hook {
	if system {
		return nil
	}
	return s.hooks[t.Name]
}

// LinkHook is implemented by a type's Hook that also takes part in association changes of
// its records made by Associate, Dissociate, RemoveAssociationLabels and their batch forms
// (invoices keep a finalized invoice's line items as they are). Associations written with a
// new record reach its AfterCreate instead, and LinkNew, Settle's own path, calls no hook.
type LinkHook interface {
	// LinkChanged runs in the transaction that associated or dissociated a record of the
	// hook's type (id) and a record of otherType (otherID), after the change; ctx carries
	// the transaction. An error undoes the change.
	LinkChanged(ctx context.Context, tx *sql.Tx, accountID, id int64, otherType string, otherID int64) error
}

// linkChanged lets the hooks of both records of a changed association take part in it.
func (s *Service) linkChanged(ctx context.Context, tx *sql.Tx, accountID int64, p pair) error {
	ends := [2]struct {
		self, other     *ObjectType
		selfID, otherID int64
	}{{p.from, p.to, p.fid, p.tid}, {p.to, p.from, p.tid, p.fid}}
	for _, e := range ends {
		if h, ok := s.hooks[e.self.Name].(LinkHook); ok {
			if err := h.LinkChanged(s.db.WithTx(ctx, tx), tx, accountID, e.selfID, e.other.Name, e.otherID); err != nil {
				return err
			}
		}
	}
	return nil
}
