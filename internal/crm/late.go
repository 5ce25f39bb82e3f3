package crm

import (
	"context"
	"fmt"
	"sync"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
)

// On PostgreSQL, a record that Create writes in a transaction of its own, with no
// association in the request and no unique value to meet, is not read again before its
// transaction commits, unless its type's hook reads it (LateInsert says it does not). Its
// row is then written at commit with the transaction's other held-back rows
// (db.LaterInsert): the writers that share a transaction (a lane) write their records of
// one type in one insert, and each of them saves the insert's round trip. The record's id
// is taken beforehand from its table's sequence, idBlock at a time. In pgbench, 8 payments
// in one insert took half the time of 8 single inserts (docs/performance.md, twelfth pass).

// LateInsert is implemented by a type's Hook whose AfterCreate does not read the new
// record, neither through the service nor in SQL, and reports no change of it: on
// PostgreSQL the record's row may then be written at commit.
type LateInsert interface {
	LateInsert()
}

// idBlock is how many ids of a table a server takes from its sequence at once.
const idBlock = 64

// idPool holds, by table, ids taken from the table's sequence and not used yet.
type idPool struct {
	mu   sync.Mutex
	free map[string][]int64
}

// take returns an unused id of table, taking idBlock more from its sequence when none is
// left. The sequence is read on a connection of its own: what it gives is never given
// again, whether the transaction that uses an id commits or not.
func (p *idPool) take(ctx context.Context, d *db.DB, table string) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free[table]) == 0 {
		ids, err := db.CollectRows[int64](d.Read.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id'))
			FROM generate_series(1, $2)`, table, idBlock))(func(r db.Scanner) (id int64, err error) {
			return id, r.Scan(&id)
		})
		if err != nil {
			return 0, fmt.Errorf("taking ids of %s: %w", table, db.MapError(err))
		}
		if p.free == nil {
			p.free = map[string][]int64{}
		}
		p.free[table] = ids
	}
	id := p.free[table][0]
	p.free[table] = p.free[table][1:]
	return id, nil
}

// insertsLate reports whether Create writes n, prepared from in, at commit (see LateInsert).
func (s *Service) insertsLate(ctx context.Context, n newRecord, in Input) bool {
	if s.db.Engine != config.Postgres || s.db.InTxContext(ctx) || in.ifAbsent || len(in.Associations) > 0 ||
		hasUniqueColumn(n.sch) {
		return false
	}
	if n.hook == nil {
		return true
	}
	_, ok := n.hook.(LateInsert)
	return ok
}
