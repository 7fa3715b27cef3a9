package store

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// AuditAnchor is an audit entry's seq and hash, kept outside the database
// (`truce audit head`): the chain alone cannot show that its last entries
// were deleted, but a log that no longer holds an anchor kept earlier can.
type AuditAnchor struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// String is the anchor as `truce audit head` prints it: "SEQ HASH".
func (a AuditAnchor) String() string { return fmt.Sprintf("%d %s", a.Seq, a.Hash) }

var anchorForm = regexp.MustCompile(`^([1-9][0-9]*)[:\s]\s*([0-9a-f]{64})$`)

// ParseAuditAnchor reads "SEQ:HASH" (or "SEQ HASH", as `audit head`
// prints it).
func ParseAuditAnchor(s string) (AuditAnchor, error) {
	m := anchorForm.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return AuditAnchor{}, fmt.Errorf("head %q: want SEQ:HASH, a positive entry number and 64 hex digits, as 'truce audit head' prints them", s)
	}
	seq, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return AuditAnchor{}, fmt.Errorf("head %q: %w", s, err)
	}
	return AuditAnchor{Seq: seq, Hash: m[2]}, nil
}

// AuditVerifyOptions tunes VerifyAudit.
type AuditVerifyOptions struct {
	// Anchor, if its Seq is set, is an entry the log must still hold, with
	// that hash; so is each of Anchors (heads kept over time, in a file).
	Anchor  AuditAnchor
	Anchors []AuditAnchor
	// PageSize is how many entries are read at a time; 0 means 1000.
	PageSize int
}

// AuditProblem is the first bad entry VerifyAudit found.
type AuditProblem struct {
	Seq  int64  // the first entry that is wrong or missing
	What string // what is wrong with it
}

func (p *AuditProblem) Error() string { return fmt.Sprintf("entry %d: %s", p.Seq, p.What) }

// AuditReport is what VerifyAudit found.
type AuditReport struct {
	// Checked counts the entries read and found sound, up to the problem
	// if there is one.
	Checked int64
	// Head is the last entry checked: the whole log's head when it is
	// intact.
	Head AuditAnchor
	// Problem is the first bad entry; nil when the log is intact.
	Problem *AuditProblem
}

// VerifyAudit reads the whole log, oldest first, and checks that seqs run
// 1, 2, 3... without gaps, that each entry's prev_hash is the hash of the
// one before, and that each hash is AuditHash of its entry's content. It
// stops at the first bad entry and names it in the report: an edited entry
// fails its own hash; a deleted one leaves a gap in the seqs (or, if the
// seqs were renumbered, fails its successor's hash); reordered entries
// break the prev_hash link where the order changed. Then it checks that the
// log holds opts.Anchor and reaches every audit seq other records cite, as
// a deleted tail leaves the chain itself intact.
//
// The error is for failures to read; a tampered log is a report with a
// Problem.
func VerifyAudit(ctx context.Context, a Audit, opts AuditVerifyOptions) (AuditReport, error) {
	pageSize := opts.PageSize
	if pageSize <= 0 {
		pageSize = 1000
	}
	var r AuditReport
	kept := map[int64]string{} // seq: hash
	var last int64             // the highest seq kept
	for _, a := range append([]AuditAnchor{opts.Anchor}, opts.Anchors...) {
		if a.Seq == 0 {
			continue
		}
		if h, ok := kept[a.Seq]; ok && h != a.Hash {
			return r, fmt.Errorf("verify audit log: two heads kept for entry %d: %s and %s", a.Seq, short(h), short(a.Hash))
		}
		kept[a.Seq], last = a.Hash, max(last, a.Seq)
	}
	bad := func(seq int64, format string, args ...any) (AuditReport, error) {
		r.Problem = &AuditProblem{Seq: seq, What: fmt.Sprintf(format, args...)}
		return r, nil
	}
	for {
		page, err := a.ListAudit(ctx, r.Head.Seq, pageSize)
		if err != nil {
			return r, fmt.Errorf("verify audit log: %w", err)
		}
		for _, e := range page {
			prev := r.Head
			switch {
			case e.Seq != prev.Seq+1 && prev.Seq == 0:
				return bad(1, "missing entries before %d (deleted?)", e.Seq)
			case e.Seq != prev.Seq+1:
				// ListAudit reads in seq order, so only a gap gets here.
				return bad(prev.Seq+1, "missing entries between %d and %d (deleted?)", prev.Seq, e.Seq)
			case e.PrevHash != prev.Hash && prev.Seq == 0:
				return bad(e.Seq, "the first entry has a prev_hash (entries before it deleted?)")
			case e.PrevHash != prev.Hash:
				return bad(e.Seq, "prev_hash does not match entry %d (reordered or deleted?)", prev.Seq)
			case AuditHash(e) != e.Hash:
				return bad(e.Seq, "edited: hash does not match its content")
			case kept[e.Seq] != "" && e.Hash != kept[e.Seq]:
				return bad(e.Seq, "hash %s is not the head you kept (%s): the log up to this entry was rewritten", short(e.Hash), short(kept[e.Seq]))
			}
			r.Checked++
			r.Head = AuditAnchor{Seq: e.Seq, Hash: e.Hash}
		}
		if len(page) < pageSize {
			break
		}
	}
	if last > r.Head.Seq {
		return bad(r.Head.Seq+1, "missing: the log ends at entry %d but the head you kept is entry %d (entries deleted from the end?)", r.Head.Seq, last)
	}
	cited, err := a.HighestCitedAuditSeq(ctx)
	if err != nil {
		return r, fmt.Errorf("verify audit log: %w", err)
	}
	if cited > r.Head.Seq {
		return bad(r.Head.Seq+1, "missing: the log ends at entry %d but reviews, evidence or incident links cite entry %d (entries deleted from the end?)", r.Head.Seq, cited)
	}
	return r, nil
}

// short abbreviates a hash for messages, like git does.
func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
