package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stamper reads the dialect's change stamp, on a connection of its own
// where the dialect says so.
type stamper struct {
	mu   sync.Mutex
	conn *sql.Conn
	// epoch counts the connections replaced: a new connection's
	// data_version starts again, and must not repeat an old stamp.
	epoch int
}

// ChangeStamp returns a value that differs from every earlier one once
// any connection, of this process or another, has committed a write to
// the database since: equal stamps, read before two reads, mean the
// reads saw the same data. "" means the backend cannot tell (an
// in-memory SQLite database), and nothing may be cached on it.
//
// PostgreSQL: the current snapshot (xmin:xmax:in-progress), which any
// commit or new writer changes; on a replica, as of its replay. SQLite:
// PRAGMA data_version on a connection that never writes, which changes
// when another connection commits.
func (s *Store) ChangeStamp(ctx context.Context) (string, error) {
	q := s.dialect.ChangeStamp
	if q == "" {
		return "", nil
	}
	var v string
	if !s.dialect.StampOwnConn {
		if err := s.db.QueryRowContext(ctx, q).Scan(&v); err != nil {
			return "", fmt.Errorf("change stamp: %w", err)
		}
		return v, nil
	}
	s.stamp.mu.Lock()
	defer s.stamp.mu.Unlock()
	if s.stamp.conn == nil {
		// Kept out of the pool for good: data_version is the
		// connection's own count, and this one must never write.
		c, err := s.db.Conn(context.WithoutCancel(ctx))
		if err != nil {
			return "", fmt.Errorf("change stamp: %w", err)
		}
		s.stamp.conn = c
	}
	if err := s.stamp.conn.QueryRowContext(ctx, q).Scan(&v); err != nil {
		s.stamp.conn.Close() // a fresh one next time: its count starts anew, so no old stamp matches by chance
		s.stamp.conn = nil
		s.stamp.epoch++
		return "", fmt.Errorf("change stamp: %w", err)
	}
	return fmt.Sprintf("%d.%s", s.stamp.epoch, v), nil
}

func (st *stamper) close() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.conn != nil {
		st.conn.Close()
		st.conn = nil
	}
}
