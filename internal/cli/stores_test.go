package cli

import "testing"

// onBothStores runs test on a fresh SQLite file and on a fresh PostgreSQL
// database (TRUCE_TEST_POSTGRES; scripts/test.sh sets it and requires it).
func onBothStores(t *testing.T, test func(t *testing.T, s *session)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newSession(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, &session{t: t, db: postgresDB(t)}) })
}
