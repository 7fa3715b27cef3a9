package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

// memAudit is a log in memory that tests may tamper with freely.
type memAudit struct {
	entries []store.AuditEntry // in seq order, as a database would list them
	cited   int64
	reads   int // ListAudit calls
}

func (m *memAudit) AppendAudit(_ context.Context, e store.AuditEntry) (store.AuditEntry, error) {
	e.Seq, e.PrevHash = 1, ""
	if n := len(m.entries); n > 0 {
		e.Seq, e.PrevHash = m.entries[n-1].Seq+1, m.entries[n-1].Hash
	}
	e.Hash = store.AuditHash(e)
	m.entries = append(m.entries, e)
	return e, nil
}

func (m *memAudit) ListAudit(_ context.Context, afterSeq int64, limit int) ([]store.AuditEntry, error) {
	m.reads++
	var out []store.AuditEntry
	for _, e := range m.entries {
		if e.Seq > afterSeq && (limit <= 0 || len(out) < limit) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memAudit) HighestCitedAuditSeq(context.Context) (int64, error) { return m.cited, nil }

func newLog(t *testing.T, n int) *memAudit {
	t.Helper()
	m := &memAudit{}
	at := time.Date(2025, 3, 18, 12, 0, 0, 0, time.UTC)
	for i := range n {
		_, err := m.AppendAudit(t.Context(), store.AuditEntry{
			At: at.Add(time.Duration(i) * time.Minute), Actor: "ana", Action: "note", Subject: fmt.Sprintf("n%d", i+1),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestVerifyAuditIntact(t *testing.T) {
	for _, pageSize := range []int{0, 1, 3, 10, 11} {
		t.Run(fmt.Sprint("page ", pageSize), func(t *testing.T) {
			m := newLog(t, 10)
			m.cited = 10
			last := m.entries[9]
			r, err := store.VerifyAudit(t.Context(), m, store.AuditVerifyOptions{
				PageSize: pageSize, Anchor: store.AuditAnchor{Seq: 4, Hash: m.entries[3].Hash},
			})
			if err != nil {
				t.Fatal(err)
			}
			if r.Problem != nil {
				t.Fatalf("intact log reported: %v", r.Problem)
			}
			if r.Checked != 10 || r.Head != (store.AuditAnchor{Seq: 10, Hash: last.Hash}) {
				t.Errorf("checked %d, head %v; want 10, %d %s", r.Checked, r.Head, last.Seq, last.Hash)
			}
			if pageSize == 3 && m.reads != 4 {
				t.Errorf("%d reads of 3 entries for 10 entries, want 4", m.reads)
			}
		})
	}
}

func TestVerifyAuditEmpty(t *testing.T) {
	r, err := store.VerifyAudit(t.Context(), &memAudit{}, store.AuditVerifyOptions{})
	if err != nil || r.Problem != nil || r.Checked != 0 || r.Head.Seq != 0 {
		t.Errorf("empty log: %+v, %v", r, err)
	}
}

func TestVerifyAuditTampered(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(m *memAudit) store.AuditVerifyOptions
		seq     int64
		what    string
		checked int64
	}{
		{
			name: "edited actor",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				m.entries[4].Actor = "mallory"
				return store.AuditVerifyOptions{}
			},
			seq: 5, what: "edited: hash does not match its content", checked: 4,
		},
		{
			name: "edited and rehashed, the next link breaks",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				m.entries[4].Detail = []byte(`{"x":1}`)
				m.entries[4].Hash = store.AuditHash(m.entries[4])
				return store.AuditVerifyOptions{}
			},
			seq: 6, what: "prev_hash does not match entry 5 (reordered or deleted?)", checked: 5,
		},
		{
			name: "middle entry deleted",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				m.entries = append(m.entries[:4:4], m.entries[5:]...)
				return store.AuditVerifyOptions{}
			},
			seq: 5, what: "missing entries between 4 and 6 (deleted?)", checked: 4,
		},
		{
			name: "first entries deleted",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				m.entries = m.entries[2:]
				return store.AuditVerifyOptions{}
			},
			seq: 1, what: "missing entries before 3 (deleted?)", checked: 0,
		},
		{
			name: "middle entry deleted, later ones renumbered",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				m.entries = append(m.entries[:4:4], m.entries[5:]...)
				for i := 4; i < len(m.entries); i++ {
					m.entries[i].Seq--
				}
				return store.AuditVerifyOptions{}
			},
			seq: 5, what: "prev_hash does not match entry 4 (reordered or deleted?)", checked: 4,
		},
		{
			name: "two entries swapped",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				a, b := m.entries[2], m.entries[3]
				a.Seq, b.Seq = b.Seq, a.Seq
				m.entries[2], m.entries[3] = b, a
				return store.AuditVerifyOptions{}
			},
			seq: 3, what: "prev_hash does not match entry 2 (reordered or deleted?)", checked: 2,
		},
		{
			name: "tail deleted, anchor kept",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				head := m.entries[9]
				m.entries = m.entries[:7]
				return store.AuditVerifyOptions{Anchor: store.AuditAnchor{Seq: head.Seq, Hash: head.Hash}}
			},
			seq: 8, what: "the log ends at entry 7 but the head you kept is entry 10", checked: 7,
		},
		{
			name: "tail deleted, records cite it",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				m.entries = m.entries[:6]
				m.cited = 9
				return store.AuditVerifyOptions{}
			},
			seq: 7, what: "the log ends at entry 6 but reviews, evidence or incident links cite entry 9", checked: 6,
		},
		{
			name: "whole chain rewritten from an entry, anchor differs",
			tamper: func(m *memAudit) store.AuditVerifyOptions {
				anchor := store.AuditAnchor{Seq: 8, Hash: m.entries[7].Hash}
				m.entries[5].Actor = "mallory"
				for i := 5; i < len(m.entries); i++ {
					m.entries[i].PrevHash = m.entries[i-1].Hash
					m.entries[i].Hash = store.AuditHash(m.entries[i])
				}
				return store.AuditVerifyOptions{Anchor: anchor}
			},
			seq: 8, what: "is not the head you kept", checked: 7,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newLog(t, 10)
			opts := tt.tamper(m)
			opts.PageSize = 3 // problems across page boundaries too
			r, err := store.VerifyAudit(t.Context(), m, opts)
			if err != nil {
				t.Fatal(err)
			}
			if r.Problem == nil {
				t.Fatalf("tampering not detected: %+v", r)
			}
			if r.Problem.Seq != tt.seq || !strings.Contains(r.Problem.What, tt.what) {
				t.Errorf("problem %q, want entry %d: %q", r.Problem, tt.seq, tt.what)
			}
			if r.Checked != tt.checked {
				t.Errorf("checked %d entries before the problem, want %d", r.Checked, tt.checked)
			}
		})
	}
}

func TestParseAuditAnchor(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	for _, s := range []string{"12:" + hash, "12 " + hash, " 12 " + hash + "\n"} {
		a, err := store.ParseAuditAnchor(s)
		if err != nil || a != (store.AuditAnchor{Seq: 12, Hash: hash}) {
			t.Errorf("ParseAuditAnchor(%q) = %v, %v", s, a, err)
		}
	}
	if got := (store.AuditAnchor{Seq: 12, Hash: hash}).String(); got != "12 "+hash {
		t.Errorf("String() = %q", got)
	}
	for _, s := range []string{"", "12", "0:" + hash, "-1:" + hash, "12:" + hash[:63], "12:" + strings.ToUpper(hash), "x:" + hash} {
		if _, err := store.ParseAuditAnchor(s); err == nil || !strings.Contains(err.Error(), "want SEQ:HASH") {
			t.Errorf("ParseAuditAnchor(%q): error %v", s, err)
		}
	}
}
