// Package crm holds Settle's CRM objects: contacts, companies, deals, products, line items,
// quotes, invoices, subscriptions, payments and tasks. Each type has a schema of properties
// (built-in ones in typed columns, an account's own stored per record) that drives
// validation, the API, search, exports, workflows and segments; records are linked by typed,
// labelled associations and keep a property history and a timeline. Search compiles filter
// groups into parameterized SQL that the indexes of both engines serve.
package crm

import (
	"context"
	"strings"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Service reads and writes CRM records. Every method is scoped by account.
type Service struct {
	db    *db.DB
	clock clock.Clock
	types *Registry
	hooks map[string]Hook
	ids   idPool // record ids taken ahead, for records written at commit (LateInsert)
}

// NewService returns a Service over d.
func NewService(d *db.DB, c clock.Clock, types *Registry) *Service {
	return &Service{db: d, clock: c, types: types}
}

// Types returns the registry of object types.
func (s *Service) Types() *Registry { return s.types }

// Source says who or what wrote a value, for property history and the timeline.
type Source struct {
	// Type is API, CRM_UI, INTEGRATION, PAYMENTS or SYSTEM.
	Type string
	// ID identifies the writer, as "userId:12".
	ID string
}

// Input is a record to create: its properties and the records to associate it with.
type Input struct {
	Properties   map[string]string
	Associations []AssociationInput
	// System marks a write by Settle itself (a payment recorded by the processor), which may
	// set read-only properties. The API never sets it.
	System bool
	// ifAbsent makes the insert write nothing when a live record holds one of its unique
	// values (see CreateIfAbsent).
	ifAbsent bool
}

// AssociationInput associates a new record with an existing one.
type AssociationInput struct {
	ToType string
	ToID   string
	Types  []AssociationSpec
}

// lookupType resolves a type name for a method that got it from a caller.
func (s *Service) lookupType(name string) (*ObjectType, error) {
	return s.types.Lookup(name)
}

// notFound is the error for a record that is not there (or not this account's).
func notFound(t *ObjectType, id string) error {
	return problem.NotFound("%s %s", strings.ReplaceAll(t.Singular, "_", " "), id)
}

// ctxDone lets long loops stop when the request is gone.
func ctxDone(ctx context.Context) bool { return ctx.Err() != nil }
