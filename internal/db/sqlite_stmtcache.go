package db

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"sync"

	"modernc.org/sqlite"
)

// The SQLite driver parses every statement it is given, each time: for Settle's write path,
// where each payment runs the same few dozen statements, parsing cost more than running them.
// A stmtCacheConnector keeps, per connection, the most recently used prepared statements and
// runs the same SQL text on them again.

// stmtCacheSize bounds the prepared statements kept per connection.
const stmtCacheSize = 512

type stmtCacheConnector struct {
	dsn string
	drv *sqlite.Driver
	// uninterrupted keeps a statement running when its context ends. SQLite answers an
	// interrupted write by rolling back the whole transaction, which on the write connection
	// may hold other callers' writes (see group); database/sql still refuses to start a
	// statement whose context is done.
	uninterrupted bool
}

// Connect opens a SQLite connection that reuses prepared statements.
func (c stmtCacheConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachedConn{Conn: conn, lru: list.New(), byQuery: map[string]*list.Element{}, uninterrupted: c.uninterrupted}, nil
}

// Driver returns the SQLite driver.
func (c stmtCacheConnector) Driver() driver.Driver { return c.drv }

// cachedConn is a SQLite connection with a cache of prepared statements. database/sql uses a
// connection from one goroutine at a time, so the cache needs no lock of its own; mu guards
// against rows closed from another goroutine.
type cachedConn struct {
	driver.Conn
	mu      sync.Mutex
	lru     *list.List
	byQuery map[string]*list.Element
	// uninterrupted: see stmtCacheConnector.
	uninterrupted bool
}

// stmtContext is the context a statement runs under.
func (c *cachedConn) stmtContext(ctx context.Context) context.Context {
	if c.uninterrupted {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

type cachedStmt struct {
	query string
	stmt  driver.Stmt
	busy  bool // rows of this statement are open
}

// take returns the cached statement of query, preparing it if needed, and marks it busy; it
// returns nil when the statement is busy (a nested use of the same query).
func (c *cachedConn) take(ctx context.Context, query string) (*cachedStmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byQuery[query]; ok {
		cs := el.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(el)
		cs.busy = true
		return cs, nil
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, anonymousParameters(query))
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{query: query, stmt: st, busy: true}
	c.byQuery[query] = c.lru.PushFront(cs)
	c.evict()
	return cs, nil
}

// evict closes the least recently used idle statements beyond the cache's size.
func (c *cachedConn) evict() {
	for el := c.lru.Back(); el != nil && c.lru.Len() > stmtCacheSize; {
		prev := el.Prev()
		if cs := el.Value.(*cachedStmt); !cs.busy {
			_ = cs.stmt.Close()
			c.lru.Remove(el)
			delete(c.byQuery, cs.query)
		}
		el = prev
	}
}

func (c *cachedConn) release(cs *cachedStmt) {
	c.mu.Lock()
	cs.busy = false
	c.mu.Unlock()
}

// ExecContext runs query on its cached statement.
func (c *cachedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ctx = c.stmtContext(ctx)
	cs, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	defer c.release(cs)
	return cs.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// QueryContext runs query on its cached statement; the statement stays busy until its rows
// are closed.
func (c *cachedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ctx = c.stmtContext(ctx)
	cs, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := cs.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		c.release(cs)
		return nil, err
	}
	return &cachedRows{Rows: rows, release: func() { c.release(cs) }}, nil
}

// Close finalizes the cached statements and closes the connection.
func (c *cachedConn) Close() error {
	c.mu.Lock()
	var errs []error
	for el := c.lru.Front(); el != nil; el = el.Next() {
		errs = append(errs, el.Value.(*cachedStmt).stmt.Close())
	}
	c.lru.Init()
	c.byQuery = map[string]*list.Element{}
	c.mu.Unlock()
	return errors.Join(append(errs, c.Conn.Close())...)
}

// The optional interfaces database/sql looks for, passed through to the SQLite connection.

// BeginTx starts a transaction.
func (c *cachedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// PrepareContext prepares a statement the caller owns.
func (c *cachedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// Ping checks the connection.
func (c *cachedConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

// ResetSession is called before the connection is reused.
func (c *cachedConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

// IsValid reports whether the connection can still be used.
func (c *cachedConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// cachedRows releases their statement when closed.
type cachedRows struct {
	driver.Rows
	once    sync.Once
	release func()
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.release)
	return err
}

// ColumnTypeDatabaseTypeName passes the column's declared type through (database/sql
// uses it to scan times).
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}
