package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/truce-monitor/truce/internal/app"
)

// jobMetrics are the Prometheus series of the jobs this server runs.
type jobMetrics struct {
	running *prometheus.GaugeVec   // jobs running here, by kind
	ended   *prometheus.CounterVec // jobs ended here, by kind and state
	rows    *prometheus.GaugeVec   // rows read by the running import
	bytes   *prometheus.GaugeVec   // bytes read of the running import's file
}

func newJobMetrics(reg *prometheus.Registry) *jobMetrics {
	m := &jobMetrics{
		running: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "truce_jobs_running", Help: "Jobs this server runs now, by kind.",
		}, []string{"kind"}),
		ended: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "truce_jobs_ended_total", Help: "Jobs this server ran to their end, by kind and state (done, failed).",
		}, []string{"kind", "state"}),
		rows: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "truce_job_rows", Help: "Rows read so far by the job this server runs, by kind (imports).",
		}, []string{"kind"}),
		bytes: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "truce_job_bytes", Help: "Bytes read so far of the file of the job this server runs, by kind (imports).",
		}, []string{"kind"}),
	}
	reg.MustRegister(m.running, m.ended, m.rows, m.bytes)
	return m
}

// registerPool adds the store's connection pool statistics to reg, when
// the store is on database/sql.
func registerPool(reg *prometheus.Registry, st any, backend string) {
	if db, ok := st.(interface{ DB() *sql.DB }); ok {
		reg.MustRegister(collectors.NewDBStatsCollector(db.DB(), backend))
	}
}

// ownerName names this server as a job's owner: host, process and a
// random part, so that a restarted server is not taken for the one that
// ran a job before it was killed.
func ownerName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// runners run the job queue in the background while the server serves.
type runners struct {
	wake chan struct{} // a job was queued here: look now
	wg   sync.WaitGroup
}

// wakeRunners tells the runners a job was just queued, so that a server
// alone on its database starts it at once; the others find it at their
// next poll.
func (s *Server) wakeRunners() {
	select {
	case s.run.wake <- struct{}{}:
	default:
	}
}

// startRunners starts cfg.Workers runners, which stop when ctx ends (a job
// in hand is left for another server to claim once it is stale).
func (s *Server) startRunners(ctx context.Context) (wait func()) {
	m := s.jobMetrics
	opts := app.RunnerOptions{
		Stale:   s.cfg.JobStale,
		Started: func(j app.Job) { m.running.WithLabelValues(j.Kind).Inc() },
		Stopped: func(j app.Job) { m.running.WithLabelValues(j.Kind).Dec() },
		Progress: func(j app.Job, p app.JobProgress) {
			m.rows.WithLabelValues(j.Kind).Set(float64(p.Rows))
			m.bytes.WithLabelValues(j.Kind).Set(float64(p.Bytes))
		},
		Ended: func(j app.Job, err error) {
			state := "done"
			if err != nil {
				state = "failed"
			}
			m.ended.WithLabelValues(j.Kind, state).Inc()
			s.log.Info("job ended", "job", j.ID, "kind", j.Kind, "by", j.CreatedBy, "state", state, "err", err)
		},
		Warn: func(j app.Job, err error) { s.log.Warn("job", "job", j.ID, "kind", j.Kind, "err", err) },
	}
	for range s.cfg.Workers {
		r := s.app.JobRunner(s.owner, opts)
		s.run.wg.Add(1)
		go func() {
			defer s.run.wg.Done()
			for ctx.Err() == nil {
				ran, err := r.RunNext(ctx)
				if err != nil && ctx.Err() == nil {
					s.log.Error("job runner", "err", err)
				}
				if ran && err == nil {
					continue // there may be more
				}
				select {
				case <-ctx.Done():
				case <-s.run.wake:
				case <-time.After(s.cfg.JobPoll):
				}
			}
		}()
	}
	return s.run.wg.Wait
}
