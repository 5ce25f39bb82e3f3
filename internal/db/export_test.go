package db

// MigrateList exposes migrate to the external tests, which apply hand-made migration lists.
var MigrateList = (*DB).migrate
