/**
 * The committed dashboards and alert rules (deploy/) name only metrics and labels the processes
 * register, and the compose observability profile, Prometheus, Grafana provisioning and the
 * collector agree with each other. A renamed metric or label fails here instead of leaving an
 * empty panel or an alert that can never fire.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { Histogram, Summary, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../libs/platform/src/config/config.schema';
import { Metrics } from '../../libs/platform/src/observability/metrics';
import { platformContext } from '../../libs/platform/src/platform.context';
import type { QueueRegistry } from '../../libs/platform/src/queues/queue-registry.service';
import type { WorkerRunner } from '../../libs/platform/src/queues/worker-runner';
import { ContextRegistry } from '../../libs/platform/src/registry/context-registry';
import { JobScheduler } from '../../libs/platform/src/schedules/job-scheduler';
import type { ScheduledRuns } from '../../libs/platform/src/schedules/scheduled-runs';
import type { TenantTransaction } from '../../libs/platform/src/database/tenant-transaction';
import { ChannelMetrics } from '../../libs/tickets/src/channels/channel-metrics';
import { AiMetrics } from '../../libs/ai-gateway/src/gateway/ai-metrics';
import { MeterMetrics } from '../../libs/billing/src/meter-reporting/meter-metrics';
import type { MeterReportsRepository } from '../../libs/billing/src/meter-reporting/meter-reports.repository';

const root = process.cwd();
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const yaml = <T>(path: string) => load(read(path)) as T;

// ---------------------------------------------------------------------------------------------
// What the processes register

/** Every source file that creates prom-client metrics; each is built by `registeredSeries`. */
const METRIC_SOURCES = ['libs/platform/src/observability/metrics.ts', 'libs/platform/src/schedules/job-scheduler.ts', 'libs/tickets/src/channels/channel-metrics.ts', 'libs/ai-gateway/src/gateway/ai-metrics.ts', 'libs/billing/src/meter-reporting/meter-metrics.ts'];

/** Labels Prometheus adds to every scraped series, and the series it writes itself. */
const TARGET_LABELS = ['job', 'instance'];
const PROMETHEUS_SERIES: Record<string, string[]> = { up: [] };

/** The real registries, built as the api and worker build them (their collectors are never run). */
function registeredSeries(): Map<string, Set<string>> {
  const metrics = new Metrics({} as DataSource, { all: () => [] } as unknown as QueueRegistry);
  metrics.onModuleInit();
  const scheduler = new JobScheduler(
    new ContextRegistry([platformContext]),
    {} as QueueRegistry,
    { registerService: () => undefined } as unknown as WorkerRunner,
    {} as ScheduledRuns,
    metrics,
    { SCHEDULE_OVERRIDES: {} } as AppConfig,
  );
  scheduler.onModuleInit();
  new ChannelMetrics(metrics);
  new AiMetrics(metrics);
  new MeterMetrics(metrics, {} as TenantTransaction, {} as MeterReportsRepository).onModuleInit();
  return seriesOf(metrics.registry);
}

/** Series names as scraped: histograms and summaries expose _bucket/_sum/_count (and le/quantile). */
function seriesOf(registry: Registry): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, labelNames } = metric as unknown as { name: string; labelNames: string[] };
    const labels = [...labelNames, ...TARGET_LABELS];
    if (metric instanceof Histogram) {
      series.set(`${name}_bucket`, new Set([...labels, 'le']));
      series.set(`${name}_sum`, new Set(labels));
      series.set(`${name}_count`, new Set(labels));
    } else if (metric instanceof Summary) {
      series.set(name, new Set([...labels, 'quantile']));
      series.set(`${name}_sum`, new Set(labels));
      series.set(`${name}_count`, new Set(labels));
    } else {
      series.set(name, new Set(labels));
    }
  }
  for (const [name, labels] of Object.entries(PROMETHEUS_SERIES)) series.set(name, new Set([...labels, ...TARGET_LABELS]));
  return series;
}

// ---------------------------------------------------------------------------------------------
// A small PromQL reader: enough to find selectors, their label matchers and grouping labels

interface Selector {
  metric: string;
  matchers: { label: string; op: string; value: string }[];
}
interface Parsed {
  selectors: Selector[];
  groupingLabels: string[];
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'atan2']);
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** Aggregations may take their grouping before the parentheses: `sum by (le) (…)`. */
const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio']);

/** Grafana's variables, replaced by what Prometheus would receive. */
function expandGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m').replace(/\$\{?(\w+)\}?/g, '.*');
}

function parsePromQL(source: string): Parsed {
  const expr = expandGrafanaVariables(source);
  const selectors: Selector[] = [];
  const groupingLabels: string[] = [];
  let depth = 0;
  let i = 0;
  const skipSpace = () => {
    while (i < expr.length && /\s/.test(expr[i])) i++;
  };
  const readString = (): string => {
    const quote = expr[i++];
    let value = '';
    while (i < expr.length && expr[i] !== quote) value += expr[i] === '\\' ? expr[++i] : expr[i], i++;
    if (expr[i] !== quote) throw new Error(`unterminated string in: ${source}`);
    i++;
    return value;
  };
  const readMatchers = (): Selector['matchers'] => {
    const matchers: Selector['matchers'] = [];
    i++; // {
    for (;;) {
      skipSpace();
      if (expr[i] === '}') return i++, matchers;
      const label = /^[a-zA-Z_]\w*/.exec(expr.slice(i))?.[0];
      if (!label) throw new Error(`bad label matcher at ${i} in: ${source}`);
      i += label.length;
      skipSpace();
      const op = /^(=~|!~|!=|=)/.exec(expr.slice(i))?.[0];
      if (!op) throw new Error(`bad matcher operator after ${label} in: ${source}`);
      i += op.length;
      skipSpace();
      if (expr[i] !== '"' && expr[i] !== "'") throw new Error(`matcher ${label} needs a quoted value in: ${source}`);
      matchers.push({ label, op, value: readString() });
      skipSpace();
      if (expr[i] === ',') i++;
    }
  };
  const readLabelList = (): string[] => {
    skipSpace();
    if (expr[i] !== '(') return [];
    const end = expr.indexOf(')', i);
    if (end < 0) throw new Error(`unclosed label list in: ${source}`);
    const labels = expr.slice(i + 1, end).split(',').map((l) => l.trim()).filter(Boolean);
    for (const label of labels) if (!/^[a-zA-Z_]\w*$/.test(label)) throw new Error(`bad label "${label}" in: ${source}`);
    i = end + 1;
    return labels;
  };

  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) i++;
    else if (c === '"' || c === "'") readString();
    else if (c === '(') depth++, i++;
    else if (c === ')') {
      if (--depth < 0) throw new Error(`unbalanced parentheses in: ${source}`);
      i++;
    } else if (c === '[') {
      const end = expr.indexOf(']', i);
      const range = expr.slice(i + 1, end);
      if (end < 0 || !/^\s*\d+[smhdwy](\s*:\s*(\d+[smhdwy])?)?\s*$/.test(range)) throw new Error(`bad range [${range}] in: ${source}`);
      i = end + 1;
    } else if (c === '{') selectors.push({ metric: '', matchers: readMatchers() });
    else if (/[a-zA-Z_:]/.test(c)) {
      const word = /^[a-zA-Z_:][\w:]*/.exec(expr.slice(i))![0];
      i += word.length;
      if (LABEL_LISTS.has(word)) groupingLabels.push(...readLabelList());
      else if (KEYWORDS.has(word)) continue;
      else {
        skipSpace();
        if (expr[i] === '(') continue; // a function or an aggregation
        if (AGGREGATIONS.has(word) && /^(by|without)\b/.test(expr.slice(i))) continue;
        selectors.push({ metric: word, matchers: expr[i] === '{' ? readMatchers() : [] });
      }
    } else if (/[\d.]/.test(c)) i += /^[\d.]+(e[+-]?\d+)?([smhdwy]|ms)?/i.exec(expr.slice(i))![0].length || 1;
    else if (/[-+*/%^=!<>,]/.test(c)) i++;
    else throw new Error(`unexpected "${c}" at ${i} in: ${source}`);
  }
  if (depth !== 0) throw new Error(`unbalanced parentheses in: ${source}`);
  return { selectors, groupingLabels };
}

/** What is wrong with an expression against the registered series; empty when nothing. */
function problemsOf(expr: string, series: Map<string, Set<string>>, jobs: string[]): string[] {
  const problems: string[] = [];
  const { selectors, groupingLabels } = parsePromQL(expr);
  if (selectors.length === 0) problems.push(`selects no metric: ${expr}`);
  const known = new Set<string>(TARGET_LABELS);
  for (const { metric, matchers } of selectors) {
    const labels = series.get(metric);
    if (!labels) {
      problems.push(`metric "${metric || '{…}'}" is not registered: ${expr}`);
      continue;
    }
    labels.forEach((l) => known.add(l));
    for (const m of matchers) {
      if (!labels.has(m.label)) problems.push(`${metric} has no label "${m.label}": ${expr}`);
      if (m.label === 'job' && m.op !== '!=' && m.op !== '!~' && !m.value.split('|').every((j) => jobs.includes(j))) problems.push(`job "${m.value}" is not a scrape job (${jobs.join(', ')}): ${expr}`);
    }
  }
  for (const label of groupingLabels) if (!known.has(label)) problems.push(`groups by "${label}", which none of its metrics has: ${expr}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The committed files

interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; current?: { value: unknown } }[] };
}

const prometheus = yaml<{ rule_files: string[]; scrape_configs: { job_name: string; metrics_path?: string; dns_sd_configs?: { names: string[]; port: number }[]; static_configs?: { targets: string[] }[] }[] }>('deploy/prometheus/prometheus.yml');
const scrapeJobs = prometheus.scrape_configs.map((c) => c.job_name);
const alertGroups = yaml<{ groups: { name: string; rules: AlertRule[] }[] }>('deploy/prometheus/alerts.yml').groups;
const rules = alertGroups.flatMap((g) => g.rules);
const dashboardFiles = readdirSync(join(root, 'deploy/grafana/dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((f) => JSON.parse(read(`deploy/grafana/dashboards/${f}`)) as Dashboard);
const panelsOf = (d: Dashboard) => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const compose = yaml<{ services: Record<string, { profiles?: string[]; volumes?: string[]; command?: string[]; environment?: Record<string, string> }>; 'x-app': { environment: Record<string, string> } }>('docker-compose.yml');

describe('observability files', () => {
  const series = registeredSeries();

  it('builds every registry that creates metrics', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('.spec.ts') && /from 'prom-client'/.test(read(path))) sources.push(path);
      }
    };
    walk('libs');
    walk('apps');
    // A new file creating metrics must be built by registeredSeries() above, so its metrics count.
    expect(sources.sort()).toEqual([...METRIC_SOURCES].sort());
    expect(series.has('http_request_duration_seconds_bucket')).toBe(true);
    expect(series.get('schedule_runs_total')).toEqual(new Set(['schedule', 'outcome', 'job', 'instance']));
    expect(series.has('channel_webhook_updates_total')).toBe(true);
    expect(series.get('queue_oldest_waiting_seconds')).toEqual(new Set(['queue', 'job', 'instance']));
    expect(series.get('ai_tokens_total')).toEqual(new Set(['provider', 'model', 'direction', 'job', 'instance']));
    expect(series.get('ai_provider_breaker_open')).toEqual(new Set(['provider', 'job', 'instance']));
    expect(series.get('billing_meter_tenants_unexplained')).toEqual(new Set(['category', 'job', 'instance']));
  });

  it('reads PromQL selectors, matchers and grouping labels', () => {
    expect(parsePromQL('sum without (instance) (x)').selectors.map((s) => s.metric)).toEqual(['x']);
    expect(parsePromQL('sum by (queue) (rate(queue_jobs_processed_total{outcome="failed", queue=~"a|b"}[5m])) / on (queue) max(queue_jobs{state="waiting"})')).toEqual({
      selectors: [
        { metric: 'queue_jobs_processed_total', matchers: [{ label: 'outcome', op: '=', value: 'failed' }, { label: 'queue', op: '=~', value: 'a|b' }] },
        { metric: 'queue_jobs', matchers: [{ label: 'state', op: '=', value: 'waiting' }] },
      ],
      groupingLabels: ['queue', 'queue'],
    });
    expect(problemsOf('sum by (route) (rate(http_requests_total[5m]))', series, scrapeJobs)).toEqual([
      'metric "http_requests_total" is not registered: sum by (route) (rate(http_requests_total[5m]))',
      'groups by "route", which none of its metrics has: sum by (route) (rate(http_requests_total[5m]))',
    ]);
    expect(problemsOf('queue_jobs{status="waiting"}', series, scrapeJobs)).toEqual(['queue_jobs has no label "status": queue_jobs{status="waiting"}']);
    expect(problemsOf('up{job="api-server"} == 0', series, scrapeJobs)).toHaveLength(1);
    expect(() => parsePromQL('sum(rate(queue_jobs[5m])')).toThrow(/unbalanced/);
  });

  it('alert rules are well formed and name only registered metrics and labels', () => {
    expect(alertGroups.length).toBeGreaterThan(0);
    expect(new Set(alertGroups.map((g) => g.name)).size).toBe(alertGroups.length);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(Object.keys(rule).sort()).toEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
      expect(rule.alert).toMatch(/^Switchboard[A-Z]\w+$/);
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary?.length).toBeGreaterThan(10);
      expect(rule.annotations.description?.length).toBeGreaterThan(40);
      expect(rule.annotations.runbook_url).toMatch(/^docs\/operations\.md(#[a-z0-9-]+)?$/);
      expect(problemsOf(rule.expr, series, scrapeJobs)).toEqual([]);
    }
    // The conditions an operator must act on.
    const names = rules.map((r) => r.alert);
    for (const required of ['OutboxBacklogGrowing', 'QueueNotDraining', 'AiProviderBreakerOpen', 'AiProviderFailing', 'HighServerErrorRate', 'DatabaseUnavailable', 'ScheduleFailing']) expect(names).toContain(`Switchboard${required}`);
  });

  it('dashboards are valid Grafana JSON whose queries name only registered metrics and labels', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    const queries: string[] = [];
    for (const dashboard of dashboards) {
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
      expect(dashboard.title).toBeTruthy();
      const source = dashboard.templating.list.find((v) => v.name === 'DS_PROMETHEUS');
      expect(source).toMatchObject({ type: 'datasource', query: 'prometheus' });
      const panels = panelsOf(dashboard);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const panel of panels) {
        expect(panel.title).toBeTruthy();
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
        if (panel.type === 'row' || panel.type === 'text') continue;
        expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect(target.datasource?.uid).toBe('${DS_PROMETHEUS}');
          queries.push(target.expr);
        }
      }
      for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
        const query = typeof variable.query === 'string' ? variable.query : (variable.query as { query: string }).query;
        const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(query) ?? [];
        expect(series.get(metric)?.has(label)).toBe(true);
      }
    }
    const problems = queries.flatMap((q) => problemsOf(q, series, scrapeJobs));
    expect(problems).toEqual([]);
    // The subjects the dashboards are for, each on at least one panel.
    const all = queries.join('\n');
    for (const metric of ['http_request_duration_seconds_bucket', 'db_pool_connections', 'queue_jobs', 'queue_jobs_processed_total', 'outbox_events_pending', 'realtime_console_sockets', 'http_requests_shed_total', 'http_deprecated_requests_total', 'schedule_last_run_timestamp_seconds']) {
      expect(all).toContain(metric);
    }
  });

  it('compose, Prometheus, Grafana provisioning and the collector load each other', () => {
    // The observability services are optional, and every file they mount exists.
    for (const name of ['prometheus', 'grafana', 'otel-collector']) {
      const service = compose.services[name];
      expect(service.profiles).toEqual(['observability']);
      for (const volume of service.volumes ?? []) {
        const [from] = volume.split(':');
        if (from.startsWith('./')) expect(existsSync(join(root, from))).toBe(true);
      }
    }
    for (const name of ['postgres', 'redis', 'migrate', 'api', 'worker']) expect(compose.services[name].profiles).toBeUndefined();
    // Prometheus loads the alert rules where compose mounts them and scrapes api and worker on their ports.
    const mountOf = (service: string, file: string) => compose.services[service].volumes!.find((v) => v.startsWith(`./${file}:`))!.split(':')[1];
    expect(prometheus.rule_files).toEqual([mountOf('prometheus', 'deploy/prometheus/alerts.yml')]);
    const port = (job: string) => prometheus.scrape_configs.find((c) => c.job_name === job)!.dns_sd_configs![0];
    expect(port('api')).toMatchObject({ names: ['api'], port: Number(compose['x-app'].environment.PORT) });
    expect(port('worker')).toMatchObject({ names: ['worker'], port: Number(compose['x-app'].environment.WORKER_PORT) });
    // Grafana's provisioned data source is the one the dashboards default to, and its provider reads the mounted folder.
    const datasources = yaml<{ datasources: { uid: string; type: string; url: string }[] }>('deploy/grafana/provisioning/datasources/prometheus.yml').datasources;
    expect(datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' })]);
    for (const dashboard of dashboards) expect(dashboard.templating.list.find((v) => v.name === 'DS_PROMETHEUS')?.current?.value).toBe(datasources[0].uid);
    const providers = yaml<{ providers: { options: { path: string } }[] }>('deploy/grafana/provisioning/dashboards/switchboard.yml').providers;
    expect(providers.map((p) => p.options.path)).toEqual([mountOf('grafana', 'deploy/grafana/dashboards')]);
    // The collector receives OTLP on both protocols, and Prometheus scrapes its exporter.
    const collector = yaml<{ receivers: { otlp: { protocols: Record<string, { endpoint: string }> } }; exporters: Record<string, { endpoint?: string }>; service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> } }>('deploy/otel/collector.yaml');
    expect(Object.keys(collector.receivers.otlp.protocols).sort()).toEqual(['grpc', 'http']);
    for (const pipeline of Object.values(collector.service.pipelines)) {
      expect(pipeline.receivers).toEqual(['otlp']);
      for (const exporter of pipeline.exporters) expect(collector.exporters[exporter]).toBeDefined();
    }
    const exporterPort = collector.exporters.prometheus.endpoint!.split(':')[1];
    expect(prometheus.scrape_configs.find((c) => c.job_name === 'otel-collector')!.static_configs![0].targets).toEqual([`otel-collector:${exporterPort}`]);
    expect(compose.services['otel-collector'].command).toEqual([`--config=${mountOf('otel-collector', 'deploy/otel/collector.yaml')}`]);
  });
});
