/**
 * The part of prom-client the server uses (Registry, Counter, Gauge, Histogram), for the server bundle only
 * (scripts/build-server.mjs resolves `prom-client` to this file). prom-client's index also loads the default
 * process metrics, the Pushgateway and the cluster aggregator, which pull in Node's cluster, child_process,
 * https, tls, dns, dgram, v8 and perf_hooks modules and @opentelemetry/api at every start, for nothing here.
 * These are the same classes its index exports; prom-client is pinned, and the metrics test runs through them.
 */
import Registry from 'prom-client/lib/registry.js';
import Counter from 'prom-client/lib/counter.js';
import Gauge from 'prom-client/lib/gauge.js';
import Histogram from 'prom-client/lib/histogram.js';

export { Counter, Gauge, Histogram, Registry };
