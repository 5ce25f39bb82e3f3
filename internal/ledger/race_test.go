//go:build race

package ledger_test

// defaultChecks is how many 10,000-operation sequences each engine runs; the race detector
// makes each several times slower, so it runs one.
const defaultChecks = "1"
