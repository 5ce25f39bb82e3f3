package auth

import (
	"sync"
	"time"
)

// Every API request authenticates its token, and reading the token with its user's
// permissions and its account took a connection and a round trip of its own: on PostgreSQL,
// recording payments through the API went 14–28 % faster once a server kept what it read
// for a moment (docs/performance.md, twelfth pass). A server keeps it for tokenCacheTTL. A
// revocation, or a change of a user or an account, made through this server clears what it
// keeps at once; one made through another replica (or the CLI) applies here within
// tokenCacheTTL. Expiry is checked at every use, and a token that is not valid is read
// again every time.

// tokenCacheTTL is how long a server uses what it read about a token.
const tokenCacheTTL = time.Second

// tokenCacheMax bounds the tokens kept; past it, the cache starts over.
const tokenCacheMax = 10_000

// tokenRead is what authenticating a token reads: the token, its user's permissions and its
// account; and when it was read, on the process's monotonic clock.
type tokenRead struct {
	token Token
	perms string
	acct  accountRow
	at    time.Time
}

// tokenCache keeps tokenReads by the hash of their secret.
type tokenCache struct {
	mu      sync.Mutex
	gen     uint64 // counts clears: a read begun before a clear is not kept after it
	entries map[string]tokenRead
}

// get returns what was read about the token with hash less than tokenCacheTTL ago, if any,
// and the generation to give put for a fresh read.
func (c *tokenCache) get(hash string) (tokenRead, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if ok && time.Since(e.at) < tokenCacheTTL {
		return e, c.gen, true
	}
	return tokenRead{}, c.gen, false
}

// put keeps e, read in generation gen, unless the cache was cleared since.
func (c *tokenCache) put(hash string, e tokenRead, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= tokenCacheMax {
		c.entries = map[string]tokenRead{}
	}
	c.entries[hash] = e
}

// touched notes that the token with hash was marked used at at (touchToken), so that the
// requests using what is kept do not mark it again.
func (c *tokenCache) touched(hash string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[hash]; ok {
		e.token.LastUsedAt = &at
		c.entries[hash] = e
	}
}

// clear forgets everything kept, and what reads under way would keep.
func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}
