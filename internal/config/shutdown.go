package config

import (
	"errors"
	"flag"
	"time"
)

// DefaultShutdownTimeout bounds how long a stopping server waits for the
// requests in flight.
const DefaultShutdownTimeout = 15 * time.Second

// registerShutdown adds the flags of a graceful stop (SIGTERM or Ctrl-C).
func (c *Config) registerShutdown(fs *flag.FlagSet, envDuration func(string, time.Duration) time.Duration) {
	fs.DurationVar(&c.DrainDelay, "drain-delay", envDuration("AFTERCARE_DRAIN_DELAY", 0),
		"on SIGTERM, answer /healthz 503 \"draining\" this long while still serving, so a load balancer stops sending first; "+
			"behind one, set it above the balancer's health-check interval × failures to mark a node down (AFTERCARE_DRAIN_DELAY)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", envDuration("AFTERCARE_SHUTDOWN_TIMEOUT", DefaultShutdownTimeout),
		"after the drain, stop accepting and give the requests in flight this long to finish; open event streams end at once (AFTERCARE_SHUTDOWN_TIMEOUT)")
}

// validateShutdown checks the graceful-stop settings.
func (c *Config) validateShutdown() []error {
	var errs []error
	if c.DrainDelay < 0 {
		errs = append(errs, errors.New("--drain-delay must not be negative"))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("--shutdown-timeout must be positive"))
	}
	return errs
}
