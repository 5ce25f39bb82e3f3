// Package faults holds Settle's process-level fault tests: a real `settle serve` binary
// killed with SIGKILL under load and restarted, its PostgreSQL connections cut under load,
// and several replicas sharing one PostgreSQL database. After each, the database itself is
// read to prove that nothing acknowledged was lost, nothing was applied twice and the ledger
// still adds up. The package has no code of its own outside its tests.
package faults
