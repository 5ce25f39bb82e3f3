package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/settlehq/settle/internal/payment"
)

// followupMetrics reports, at each scrape, how the payment follow-up queue stands, so that
// an operator can alert on events that failed for good (receipts, invoices, webhooks that
// will not happen without them).
type followupMetrics struct {
	payments *payment.Service
	desc     *prometheus.Desc
}

func newFollowupMetrics(p *payment.Service) *followupMetrics {
	return &followupMetrics{payments: p, desc: prometheus.NewDesc("settle_payment_followups",
		"Payment events whose follow-ups have not run, by state: queued (all waiting), retrying (failed before, "+
			"will be tried again), given_up (failed 25 times, left for an operator).", []string{"state"}, nil)}
}

// Describe sends the metric's description.
func (m *followupMetrics) Describe(ch chan<- *prometheus.Desc) { ch <- m.desc }

// Collect reads the queue; a database that does not answer within two seconds makes the
// scrape report an error for this metric instead of stale figures.
func (m *followupMetrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	q, err := m.payments.FollowupQueue(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.desc, err)
		return
	}
	for state, n := range map[string]int64{"queued": q.Queued, "retrying": q.Retrying, "given_up": q.GivenUp} {
		ch <- prometheus.MustNewConstMetric(m.desc, prometheus.GaugeValue, float64(n), state)
	}
}
