package app

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/aftercare/aftercare/internal/clientip"
)

// metricsHandler serves Prometheus metrics from a registry of this
// instance's own (no global registry).
func metricsHandler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// metricsGuard serves /metrics to clients on this machine (a loopback
// peer forwarding for no one), or to anyone presenting the metrics token
// as a bearer token; others get 403. Metrics tell an outsider how busy
// and how big the service is.
func metricsGuard(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1 {
				next.ServeHTTP(w, r)
				return
			}
		}
		if clientip.Local(r) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "metrics are served to clients on this machine, or with the metrics token (--metrics-token)", http.StatusForbidden)
	})
}
