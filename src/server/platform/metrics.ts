import { Registry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/index.js';

/**
 * Prometheus metrics of one app instance: default process metrics (among them the event-loop lag,
 * `xiaolian_nodejs_eventloop_lag_seconds` and its percentiles), per-route HTTP figures, the build, and the
 * PostgreSQL pool (total / idle / waiting; SQLite has no pool, so nothing is reported for it).
 */
export function installMetrics(app: FastifyInstance, opts: { database?: Database; version?: string } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'xiaolian_' });
  const requests = new Counter({
    name: 'xiaolian_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'xiaolian_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  if (opts.version) {
    const [version, commit = 'unknown'] = opts.version.split('+');
    new Gauge({
      name: 'xiaolian_build_info',
      help: 'Version and commit of the running build',
      labelNames: ['version', 'commit'] as const,
      registers: [registry],
    }).set({ version, commit }, 1);
  }
  const pool = opts.database?.pool;
  if (pool) {
    new Gauge({
      name: 'xiaolian_db_pool_connections',
      help: 'PostgreSQL pool of this instance: total, idle and waiting (clients queued for a connection)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  return registry;
}
