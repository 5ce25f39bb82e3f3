package jobs

import (
	"github.com/riverqueue/river"
)

// Registry is the list of job kinds this process can work and the periodic jobs it
// schedules. The composition root fills it with each capability's workers.
type Registry struct {
	workers  *river.Workers
	periodic []*river.PeriodicJob
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{workers: river.NewWorkers()}
}

// Add registers the worker for one job kind.
func Add[T river.JobArgs](r *Registry, w river.Worker[T]) {
	river.AddWorker(r.workers, w)
}

// AddPeriodic schedules a job. River runs periodic jobs on the elected leader only, so
// several replicas never enqueue the same run twice.
func (r *Registry) AddPeriodic(p *river.PeriodicJob) {
	r.periodic = append(r.periodic, p)
}
