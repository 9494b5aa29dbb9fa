// The console's reports page (/console/reports): volume, backlog, response times, SLA attainment and
// breaches, CSAT score and response rate over time. Charts are the API's own SVG (GET /v1/reports/{report}/chart.svg, the same Vega-Lite specs
// the weekly digest draws), shown as images; the figures beside them come from the report's JSON,
// so a reader (and a screen reader) gets the exact numbers. Refreshed when the worker's rollups move.

export const REPORTS = [
  { name: 'volume', title: 'Ticket volume' },
  { name: 'backlog', title: 'Backlog' },
  { name: 'response-times', title: 'Response times' },
  { name: 'sla', title: 'SLA attainment' },
  { name: 'csat', title: 'Customer satisfaction' },
];
const RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 365, label: 'Last 12 months' },
];
/** Series named under a report's title (the chart and the table show them all). */
const HEADLINES = { sla: ['attainment'], csat: ['score', 'response_rate'] };
const CHART_SIZE = { width: 560, height: 220 };
// Rollups land in bursts (one event per batch of days); one refresh after the burst is enough.
const REFRESH_DEBOUNCE_MS = 400;
const ADMIN_ROLES = ['owner', 'admin'];

/** Days as the tenant counts them: `YYYY-MM-DD` of `date` in `timeZone`. */
export function localDay(date, timeZone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function minusDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** A figure as the table shows it (the API's value, rounded for reading; null is "no data", not 0). */
export function formatValue(value, unit) {
  if (value === null || value === undefined) return '—';
  if (unit === 'percent') return `${Math.round(value * 10) / 10} %`;
  if (unit === 'minutes') return `${Math.round(value * 10) / 10}`;
  return String(Math.round(value * 100) / 100);
}

/**
 * Starts the page. `ctx` gives the console's helpers: api(method, path), download(path, { cache }) → Blob,
 * el(tag, attrs, ...children), $ (by id), me (GET /v1/me), members (userId → name), roles (userId → role), socket.
 */
export function startReports(ctx) {
  const { api, download, el, $, me } = ctx;
  const timeZone = me.tenant.timezone;
  const state = { results: new Map(), loading: null, again: false, timer: null, version: 0 };

  const range = $('r-range');
  for (const r of RANGES) range.append(el('option', { value: String(r.days) }, r.label));
  range.value = '30';
  const agent = $('r-agent');
  const mayFilterAgents = ADMIN_ROLES.includes(me.role) || me.kind === 'api-key';
  if (mayFilterAgents) {
    const agents = [...ctx.members.keys()].filter((id) => ['owner', 'admin', 'agent'].includes(ctx.roles.get(id))).sort((a, b) => ctx.members.get(a).localeCompare(ctx.members.get(b)));
    for (const id of agents) agent.append(el('option', { value: id }, ctx.members.get(id)));
  } else if (me.user) {
    // An agent sees their own figures only (the API answers 403 for another agent's).
    agent.append(el('option', { value: me.user.id }, `${me.user.name} (you)`));
  }
  api('GET', '/v1/groups?limit=100')
    .then(({ data }) => {
      for (const g of data.data) $('r-group').append(el('option', { value: g.id }, g.name));
    })
    .catch(() => {});

  const grid = $('report-grid');
  for (const report of REPORTS) {
    grid.append(
      el(
        'section',
        { class: 'card report-card', 'data-report': report.name, 'aria-labelledby': `r-h-${report.name}` },
        el('h2', { id: `r-h-${report.name}` }, report.title),
        el('p', { class: 'report-headline muted', 'data-headline': report.name }),
        el('figure', { class: 'report-chart' }, el('img', { alt: `${report.title} chart`, 'data-chart': report.name, width: String(CHART_SIZE.width), height: String(CHART_SIZE.height) })),
        el('details', { class: 'report-figures' }, el('summary', {}, 'Figures'), el('div', { class: 'table-wrap', 'data-figures': report.name })),
        el('p', { class: 'error', role: 'alert', 'data-error': report.name }),
      ),
    );
  }

  const query = () => {
    const to = localDay(new Date(), timeZone);
    const params = new URLSearchParams({ from: minusDays(to, Number(range.value) - 1), to, interval: $('r-interval').value });
    if ($('r-group').value) params.set('groupId', $('r-group').value);
    if (agent.value) params.set('agentId', agent.value);
    return params;
  };

  async function loadOne(report, params, version) {
    const errorEl = grid.querySelector(`[data-error="${report.name}"]`);
    try {
      const [{ data: result }, svg] = await Promise.all([
        api('GET', `/v1/reports/${report.name}?${params}`),
        // Revalidated every time (the ETag makes an unchanged chart a 304): a refresh after new rollups must not get the cached picture.
        download(`/v1/reports/${report.name}/chart.svg?${params}&width=${CHART_SIZE.width}&height=${CHART_SIZE.height}`, { cache: 'no-cache' }),
      ]);
      if (version !== state.version) return;
      state.results.set(report.name, result);
      renderFigures(report.name, result);
      renderHeadline(report.name, result);
      // A data: URL (the console's CSP allows data: images, not blob:); as an <img>, the SVG runs nothing.
      const img = grid.querySelector(`[data-chart="${report.name}"]`);
      img.src = `data:image/svg+xml;base64,${await base64(svg)}`;
      img.alt = `${result.title}, ${result.from} to ${result.to}: ${result.series.map((s) => s.label).join(', ')}`;
      errorEl.textContent = '';
    } catch (error) {
      errorEl.textContent = error.message;
    }
  }

  /** Loads every report; a refresh asked for meanwhile runs once this one ends. */
  async function load() {
    if (state.loading) {
      state.again = true;
      return state.loading;
    }
    const version = ++state.version;
    const params = query();
    $('r-status').textContent = 'Loading…';
    state.loading = Promise.all(REPORTS.map((r) => loadOne(r, params, version))).finally(() => {
      state.loading = null;
      const computed = [...state.results.values()].map((r) => r.computedAt).filter(Boolean).sort().at(-1);
      $('r-status').textContent = computed ? `Figures as of ${new Date(computed).toLocaleString()}` : 'No figures yet';
      $('report-grid').dataset.query = params.toString();
      $('report-grid').dataset.loadedVersion = String(version);
      if (state.again) {
        state.again = false;
        load();
      }
    });
    return state.loading;
  }

  /** The ratios a manager reads first (attainment, response rate), for the latest period that has one. */
  function renderHeadline(name, result) {
    const parts = [];
    for (const key of HEADLINES[name] ?? []) {
      const series = result.series.find((s) => s.key === key);
      const point = series?.points.filter((p) => p.value !== null).at(-1);
      if (point) parts.push(`${series.label}: ${formatValue(point.value, series.unit)} (${point.period})`);
    }
    grid.querySelector(`[data-headline="${name}"]`).textContent = parts.join(' · ');
  }

  function renderFigures(name, result) {
    const wrap = grid.querySelector(`[data-figures="${name}"]`);
    const periods = [...new Set(result.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
    const head = el('tr', {}, el('th', { scope: 'col' }, 'Period'), ...result.series.map((s) => el('th', { scope: 'col' }, s.dimension ? `${s.label} · ${s.dimension.label}` : s.label)));
    const rows = periods.map((period) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, period),
        ...result.series.map((s) => {
          const point = s.points.find((p) => p.period === period);
          return el('td', { 'data-series': s.key, 'data-period': period, 'data-value': point?.value === null || point === undefined ? '' : String(point.value) }, formatValue(point?.value ?? null, s.unit));
        }),
      ),
    );
    wrap.replaceChildren(el('table', { class: 'figures-table' }, el('caption', { class: 'muted' }, `${result.title} · ${result.from} – ${result.to} · ${result.timeZone}`), el('thead', {}, head), el('tbody', {}, ...rows)));
  }

  const refreshSoon = () => {
    clearTimeout(state.timer);
    state.timer = setTimeout(load, REFRESH_DEBOUNCE_MS);
  };
  ctx.socket.on('report.rollups_updated', refreshSoon);
  // After a reconnect the rollups may have moved while the socket was away.
  ctx.socket.on('session.ready', refreshSoon);
  $('report-filters').addEventListener('change', load);
  $('report-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  return load();
}

async function base64(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
