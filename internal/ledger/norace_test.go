//go:build !race

package ledger_test

// defaultChecks is how many 10,000-operation sequences each engine runs.
const defaultChecks = "2"
