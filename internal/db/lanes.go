package db

import (
	"database/sql"
	"sync"
	"time"
)

// On PostgreSQL, write transactions share commits in lanes: groups (see group) of their own,
// maxLanes of them, or half as many as the pool has connections when that is fewer. A
// caller takes the turn of a lane where it is free, or else waits in the lane with the
// fewest callers holding or waiting for its turn. Each lane writes its callers one after
// another, several in one transaction, and each transaction writes their held-back rows in
// one statement per table: the same work in fewer transactions and fewer statements than a
// transaction per caller. Reads outside a transaction use no lane, so they always find a
// connection.
//
// A wait is bounded: a caller whose lane's turn has not come after laneWait writes in a
// transaction of its own. A path that began a second transaction while holding a lane's
// turn, with that lane's turn needed again, is then slowed, never stopped.

// maxLanes is how many lanes a PostgreSQL database has at most. On two cores, recording
// payments through the API with 32 clients, three or four lanes did 15–40 % more than a
// transaction per request, sixteen lanes no more, and one lane less (docs/performance.md,
// twelfth pass).
const maxLanes = 4

// laneGroupMax bounds the callers that share one PostgreSQL transaction. A caller is answered
// only once the callers after it in its transaction have written and the transaction has
// committed; that wait made most of `record`'s p99 at 32 clients (docs/performance.md,
// fourteenth pass). Up to 4 callers instead of 32, in five A/B pairs on a disk with slow
// syncs: p99 61.4 against 70.8 ms on average, lower in each pair, and 1,359 against
// 1,307 requests/s (sixteenth pass).
const laneGroupMax = 4

// laneWait is how long a caller waits for its lane's turn before it writes on its own.
const laneWait = time.Second

// newLanes returns n lanes, at least one, writing through write and keeping their
// transactions' connections in conns.
func newLanes(n int, write *sql.DB, conns *sync.Map) []*group {
	lanes := make([]*group, max(n, 1))
	for i := range lanes {
		lanes[i] = newGroup(write, conns)
	}
	return lanes
}

// enterLane takes the turn of the PostgreSQL lane a write transaction joins, and reports
// whether it did: a lane whose turn is free, or else the least busy one, waiting at most
// laneWait.
func (d *DB) enterLane() (*group, bool) {
	first := int(d.nextLane.Add(1))
	for i := range d.groups {
		if g := d.groups[(first+i)%len(d.groups)]; g.tryEnter() {
			return g, true
		}
	}
	best := d.groups[0]
	for _, g := range d.groups[1:] {
		if g.load() < best.load() {
			best = g
		}
	}
	return best, best.enter(laneWait)
}
