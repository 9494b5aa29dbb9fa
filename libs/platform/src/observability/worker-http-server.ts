import { createServer, type Server } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { JobScheduler } from '../schedules/job-scheduler';
import { ReadinessCheck } from './health';
import { Metrics } from './metrics';
import { METRICS_REALM, metricsAccess } from './metrics-access';

/**
 * The worker has no API: only /health and /metrics on WORKER_PORT, for probes and scrapers.
 * /health adds the registered schedules (next run, last run, last error) to the readiness result;
 * a failing schedule does not make the worker unready, restarting it would not help.
 */
@Injectable()
export class WorkerHttpServer implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHttpServer.name);
  private server: Server | null = null;
  private readonly refusal: (authorization: string | undefined) => string | null;

  constructor(
    private readonly readiness: ReadinessCheck,
    private readonly metrics: Metrics,
    private readonly scheduler: JobScheduler,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.refusal = metricsAccess(config.METRICS_TOKEN);
  }

  async listen(port: number, host: string): Promise<number> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const reply = (status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type }).end(body);
      if (req.method !== 'GET') return reply(405, 'application/problem+json', JSON.stringify({ type: 'about:blank', title: 'Method Not Allowed', status: 405, detail: 'Only GET is served here.' }));
      if (path === '/health') {
        return void Promise.all([
          this.readiness.check().then(
            (result) => ({ status: 200, body: result as object }),
            (error: { response?: object }) => ({ status: 503, body: error.response ?? { status: 'error' } }),
          ),
          this.scheduler.status(),
        ]).then(([ready, schedules]) => reply(ready.status, 'application/json', JSON.stringify({ ...ready.body, schedules })));
      }
      if (path === '/metrics') {
        const refused = this.refusal(req.headers.authorization);
        if (refused) {
          res.writeHead(401, { 'content-type': 'application/problem+json', 'www-authenticate': METRICS_REALM });
          return void res.end(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: refused }));
        }
        return void this.metrics.render().then(({ contentType, body }) => reply(200, contentType, body));
      }
      reply(404, 'application/problem+json', JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `No route matches GET ${path}.` }));
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, host, resolve));
    const address = this.server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    this.logger.log(`Worker health on http://${host}:${bound}/health`);
    return bound;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
