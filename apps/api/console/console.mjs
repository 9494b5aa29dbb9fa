// Switchboard agent console: plain ES module on the public REST API and the /agents socket.
import { io } from '/socket.io/socket.io.esm.min.js';
import { startReports } from '/console/reports.mjs';

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
};
const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
const OPEN_WORK = 'new,open,pending,on_hold';
const TICKET_EVENTS = ['ticket.created', 'ticket.updated', 'ticket.message_added', 'ticket.assigned', 'ticket.status_changed'];
// Events beside a ticket's fields (no version): applied once by eventId, by reading the resource again.
const BESIDE_EVENTS = ['ticket.attachment_added', 'ticket.participants_changed', 'ticket.message_delivery'];
/** Roles the API accepts as assignee (libs/tickets/src/domain/ticket.ts ASSIGNABLE_ROLES). */
const ASSIGNABLE_ROLES = ['owner', 'admin', 'agent'];
const TAG = /^[a-z0-9_:-]{1,50}$/;
const PREVIEW_MAX_BYTES = 5 * 1024 * 1024;
// Field-service events this console may receive (only with jobs:read; a technician gets those of their own visits).
const JOB_EVENTS = ['job.created', 'job.completed', 'job.cancelled', 'visit.scheduled', 'visit.rescheduled', 'visit.assigned', 'visit.cancelled'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const TYPING_REPEAT_MS = 2000;
const TYPING_IDLE_MS = 3000;

const state = {
  session: JSON.parse(sessionStorage.getItem('switchboard.session') || 'null'),
  me: null,
  tickets: new Map(), // id → ticket view (with version)
  order: [], // ticket ids, newest first
  members: new Map(), // userId → name
  roles: new Map(), // userId → role
  contacts: new Map(), // contactId → contact (or a promise of one)
  cursorId: null, // the ticket the keyboard selection is on (an id, so live inserts do not move it)
  nextCursor: null, // the list's next page (GET /v1/tickets cursor)
  attachments: [],
  agents: new Map(), // userId → presence
  viewersByTicket: new Map(),
  openId: null,
  jobs: [], // the open ticket's field jobs (GET /v1/field-service/jobs?ticketId=), newest first
  jobsVisible: true, // false once the jobs API said this credential may not read jobs
  seen: new Set(), // event ids already applied
  lastEventId: null,
  socket: null,
  typingSentAt: 0,
  typingTimer: null,
  views: [], // the saved views this member sees (GET /v1/views), in sidebar order
  viewCounts: new Map(), // viewId → { count, capped }
  viewId: null, // the view the list shows; null: the filters below
  customStatuses: [], // the tenant's custom statuses (GET /v1/ticket-statuses), each on a base category
};
// Views' counts: polled (the server keeps each count cheap), and refreshed soon after any ticket change.
const VIEW_COUNTS_POLL_MS = 30_000;
const VIEW_REFRESH_DEBOUNCE_MS = 1_500;

// ---- REST -------------------------------------------------------------------------------------
async function api(method, path, body, headers = {}) {
  const json = body !== undefined && !(body instanceof FormData); // a FormData body sets its own multipart type
  const res = await fetch(path, {
    method,
    headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...(state.session ? { authorization: `Bearer ${state.session.accessToken}` } : {}), ...headers },
    body: body === undefined ? undefined : json ? JSON.stringify(body) : body,
  });
  if (res.status === 401 && state.session && !path.startsWith('/v1/auth/') && (await refresh())) return api(method, path, body, headers);
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw Object.assign(new Error(data?.detail || res.statusText), { status: res.status, problem: data });
  return { data, headers: res.headers };
}

/** A file behind the bearer token, as a Blob; `cache` is fetch's cache mode. */
async function download(path, { cache = 'default' } = {}, retried = false) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${state.session.accessToken}` }, cache });
  if (res.status === 401 && !retried && (await refresh())) return download(path, { cache }, true);
  if (!res.ok) throw Object.assign(new Error(res.statusText), { status: res.status });
  return res.blob();
}

async function refresh() {
  try {
    const res = await fetch('/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: state.session.refreshToken }) });
    if (!res.ok) return false;
    const data = await res.json();
    saveSession({ ...state.session, accessToken: data.accessToken, refreshToken: data.refreshToken });
    return true;
  } catch {
    return false;
  }
}

function saveSession(session) {
  state.session = session;
  if (session) sessionStorage.setItem('switchboard.session', JSON.stringify(session));
  else sessionStorage.removeItem('switchboard.session');
}

const tokenExpiry = (token) => {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
  } catch {
    return null;
  }
};

// ---- Login ------------------------------------------------------------------------------------
/** The step a sign-in is at after the password: { challengeToken, status, methods } (ADR 0032). */
let challenge = null;

function showSignInStep(id) {
  for (const step of ['login-form', 'second-factor-form', 'enrol-form', 'recovery-codes']) $(step).hidden = step !== id;
}

async function signedIn(session) {
  challenge = null;
  saveSession({ accessToken: session.accessToken, refreshToken: session.refreshToken, tenant: session.tenant });
  await start();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  $('login-error').textContent = '';
  try {
    const body = { email: form.get('email'), password: form.get('password') };
    if (form.get('tenant')) body.tenant = form.get('tenant');
    const { data } = await api('POST', '/v1/auth/login', body);
    if (data.status === 'two-factor-required') {
      challenge = data;
      $('use-security-key').hidden = !(data.methods.includes('webauthn') && window.PublicKeyCredential);
      $('second-factor-error').textContent = '';
      showSignInStep('second-factor-form');
      $('second-factor-form').elements.code.focus();
    } else if (data.status === 'enrolment-required') {
      challenge = data;
      const { data: setup } = await api('POST', '/v1/auth/two-factor/totp/setup', { challengeToken: data.challengeToken });
      $('enrol-qr').src = setup.qrCode;
      $('enrol-secret').textContent = setup.secret;
      $('enrol-error').textContent = '';
      showSignInStep('enrol-form');
    } else {
      await signedIn(data);
    }
  } catch (error) {
    $('login-error').textContent = error.message;
  }
});

$('second-factor-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const code = new FormData(e.target).get('code').trim();
  // Six digits are an app code; anything else is taken for a recovery code.
  const proof = /^\d{6}$/.test(code.replace(/\s/g, '')) ? { code } : { recoveryCode: code };
  await verifySecondFactor(proof, 'second-factor-error');
});

$('use-security-key').addEventListener('click', async () => {
  $('second-factor-error').textContent = '';
  try {
    const { data: options } = await api('POST', '/v1/auth/two-factor/webauthn/options', { challengeToken: challenge.challengeToken });
    const credential = await navigator.credentials.get({ publicKey: requestOptionsFromJSON(options) });
    await verifySecondFactor({ webauthn: assertionToJSON(credential) }, 'second-factor-error');
  } catch (error) {
    $('second-factor-error').textContent = error.message;
  }
});

async function verifySecondFactor(proof, errorId) {
  try {
    const { data } = await api('POST', '/v1/auth/two-factor/verify', { challengeToken: challenge.challengeToken, ...proof });
    await signedIn(data);
  } catch (error) {
    if (error.status === 401 && /challenge/.test(error.message)) {
      // Expired or spent: start again from the password.
      showSignInStep('login-form');
      $('login-error').textContent = error.message;
    } else $(errorId).textContent = error.message;
  }
}

$('enrol-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const code = new FormData(e.target).get('code').trim();
  try {
    const { data } = await api('POST', '/v1/auth/two-factor/totp/confirm', { challengeToken: challenge.challengeToken, code });
    $('recovery-codes-list').textContent = (data.recoveryCodes ?? []).join('\n');
    $('recovery-codes-done').onclick = () => signedIn(data.session);
    showSignInStep('recovery-codes');
  } catch (error) {
    $('enrol-error').textContent = error.message;
  }
});

for (const back of document.querySelectorAll('[data-back-to-login]')) {
  back.addEventListener('click', () => {
    challenge = null;
    showSignInStep('login-form');
  });
}

// WebAuthn's JSON forms (what the server speaks) ⇄ the ArrayBuffers navigator.credentials wants.
const fromB64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
const toB64url = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function requestOptionsFromJSON(options) {
  return {
    ...options,
    challenge: fromB64url(options.challenge),
    allowCredentials: (options.allowCredentials ?? []).map((c) => ({ ...c, id: fromB64url(c.id) })),
  };
}

export function assertionToJSON(credential) {
  const r = credential.response;
  return {
    id: credential.id,
    rawId: toB64url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toB64url(r.clientDataJSON),
      authenticatorData: toB64url(r.authenticatorData),
      signature: toB64url(r.signature),
      ...(r.userHandle ? { userHandle: toB64url(r.userHandle) } : {}),
    },
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
  };
}

$('logout').addEventListener('click', async () => {
  try {
    await api('POST', '/v1/auth/logout', { refreshToken: state.session.refreshToken });
  } catch {}
  state.socket?.disconnect();
  saveSession(null);
  location.reload();
});

// ---- Start ------------------------------------------------------------------------------------
async function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  const { data: me } = await api('GET', '/v1/me');
  state.me = me;
  $('tenant-name').textContent = me.tenant.name;
  $('me').textContent = me.user?.name ?? me.apiKey?.name ?? '';
  try {
    const { data: members } = await api('GET', '/v1/members');
    for (const m of members.data) {
      state.members.set(m.userId, m.name);
      state.roles.set(m.userId, m.role);
    }
  } catch {}
  const onReports = location.pathname.replace(/\/+$/, '') === '/console/reports';
  $(onReports ? 'nav-reports' : 'nav-tickets').setAttribute('aria-current', 'page');
  if (onReports) {
    $('tickets-view').hidden = true;
    $('reports').hidden = false;
    connect();
    await startReports({ api, download, el, $, me, members: state.members, roles: state.roles, socket: state.socket });
    return;
  }
  renderAssigneeFilter();
  connect();
  await Promise.all([loadTickets(), loadViews(), loadCustomStatuses()]);
  setInterval(loadViewCounts, VIEW_COUNTS_POLL_MS);
  const linked = /^#ticket\/([0-9a-f-]{36})$/i.exec(location.hash)?.[1];
  if (linked) await openTicket(linked).catch(() => history.replaceState(null, '', location.pathname));
}

const assignable = () => [...state.members.keys()].filter((id) => ASSIGNABLE_ROLES.includes(state.roles.get(id))).sort((a, b) => nameOf(a).localeCompare(nameOf(b)));

function renderAssigneeFilter() {
  const me = state.me?.user?.id;
  const ids = assignable().filter((id) => id !== me);
  options($('assignee-filter'), ['', ...(me && ASSIGNABLE_ROLES.includes(state.roles.get(me)) ? [me] : []), ...ids], '', (id) => (!id ? 'Anyone' : id === me ? 'Me' : nameOf(id)));
}

/** The list as the filters, the search box and the sort ask for: GET /v1/tickets does the filtering. */
function listQuery() {
  const [sort, order] = $('sort').value.split(':');
  const params = new URLSearchParams({ limit: '100', status: $('status-filter').value || OPEN_WORK, sort, order });
  if ($('priority-filter').value) params.set('priority', $('priority-filter').value);
  if ($('assignee-filter').value) params.set('assigneeId', $('assignee-filter').value);
  const q = $('search').value.trim();
  if (q) params.set('q', q);
  return params;
}

/** Where the list comes from: the chosen view (unless searching), or GET /v1/tickets with the filters. */
function listPath(params, cursor) {
  if (cursor) params.set('cursor', cursor);
  if (state.viewId && !params.get('q')) return `/v1/views/${state.viewId}/tickets?${new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) })}`;
  return `/v1/tickets?${params}`;
}

let listRequest = 0;
async function loadTickets() {
  const request = ++listRequest;
  const params = listQuery();
  $('ticket-list').setAttribute('aria-busy', 'true');
  try {
    const { data } = await api('GET', listPath(params));
    if (request !== listRequest) return; // a newer search or filter won
    const open = state.tickets.get(state.openId); // the open ticket stays known even when the new list leaves it out
    state.tickets.clear();
    state.order = [];
    if (open) state.tickets.set(open.id, open);
    addPage(data);
    if (!state.order.includes(state.cursorId)) state.cursorId = null;
    const q = params.get('q');
    $('list-status').textContent = q ? `${state.order.length}${data.nextCursor ? '+' : ''} found for “${q}”` : state.order.length ? '' : 'No tickets here.';
    renderList();
  } catch (error) {
    if (request === listRequest) $('list-status').textContent = error.message;
  } finally {
    if (request === listRequest) $('ticket-list').removeAttribute('aria-busy');
  }
}

function addPage(page) {
  for (const t of page.data) {
    if (state.order.includes(t.id)) continue;
    state.tickets.set(t.id, t);
    state.order.push(t.id);
  }
  state.nextCursor = page.nextCursor;
  $('load-more').hidden = !page.nextCursor;
}

$('load-more').addEventListener('click', async () => {
  const request = listRequest;
  const params = listQuery();
  try {
    const { data } = await api('GET', listPath(params, state.nextCursor));
    if (request !== listRequest) return;
    addPage(data);
    renderList();
  } catch (error) {
    $('list-status').textContent = error.message;
  }
});
for (const id of ['status-filter', 'priority-filter', 'assignee-filter', 'sort']) $(id).addEventListener('change', loadTickets);
let searchTimer = null;
$('search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(loadTickets, 250);
});
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(searchTimer);
  loadTickets();
});

/** Whether a ticket that changed live belongs in the list as filtered (full-text search is the server's: a live ticket joins a searched list only on the next search). */
function matchesList(t) {
  const params = listQuery();
  if (params.get('q') || state.viewId) return false; // a view's membership is the server's: it reloads (viewsSoon)
  if (!params.get('status').split(',').includes(t.status)) return false;
  if (params.get('priority') && params.get('priority') !== t.priority) return false;
  if (params.get('assigneeId') && params.get('assigneeId') !== t.assigneeId) return false;
  return true;
}

function sortOrder() {
  const [sort, order] = $('sort').value.split(':');
  const key = (id) => {
    const t = state.tickets.get(id);
    if (sort === 'slaBreachAt') return t.slaBreachAt ? Date.parse(t.slaBreachAt) : Number.MAX_SAFE_INTEGER; // no clock: last, as the api sorts
    return Date.parse(t[sort] ?? t.updatedAt ?? 0) || 0;
  };
  state.order.sort((a, b) => (order === 'asc' ? key(a) - key(b) : key(b) - key(a)));
}

// ---- Views ------------------------------------------------------------------------------------
async function loadViews() {
  try {
    const { data } = await api('GET', '/v1/views');
    state.views = data.data;
    if (state.viewId && !state.views.some((v) => v.id === state.viewId)) chooseView(null);
    renderViews();
    await loadViewCounts();
  } catch {}
}

async function loadViewCounts() {
  if (state.views.length === 0) return;
  try {
    const ids = state.views.slice(0, 50).map((v) => v.id).join(',');
    const { data } = await api('GET', `/v1/views/counts?ids=${ids}`);
    state.viewCounts = new Map(data.data.map((c) => [c.viewId, c]));
    renderViews();
  } catch {}
}

let viewsTimer = null;
/** A ticket changed somewhere: counts (and the open view's list) refresh once things settle. */
function viewsSoon() {
  clearTimeout(viewsTimer);
  viewsTimer = setTimeout(() => {
    loadViewCounts();
    if (state.viewId) loadTickets();
  }, VIEW_REFRESH_DEBOUNCE_MS);
}

function chooseView(id) {
  state.viewId = id;
  $('filters').hidden = Boolean(id);
  renderViews();
  loadTickets();
}

function renderViews() {
  const list = $('view-list');
  list.replaceChildren();
  if (state.views.length === 0) return;
  const entry = (id, name, count) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.viewId = id ?? '';
    button.setAttribute('aria-current', String(state.viewId === id));
    const label = document.createElement('span');
    label.textContent = name;
    button.append(label);
    if (count) {
      const n = document.createElement('span');
      n.className = 'count';
      n.textContent = `${count.count.toLocaleString()}${count.capped ? '+' : ''}`;
      button.append(n);
    }
    button.addEventListener('click', () => chooseView(id));
    li.append(button);
    list.append(li);
  };
  entry(null, 'All tickets (filters)', null);
  for (const v of state.views) entry(v.id, v.name, state.viewCounts.get(v.id));
}

// ---- Socket -----------------------------------------------------------------------------------
function connect() {
  const socket = io('/agents', { auth: (cb) => cb({ token: state.session.accessToken }), transports: ['websocket', 'polling'] });
  state.socket = socket;
  socket.on('connect', () => setConnection('live', 'live'));
  socket.on('disconnect', () => setConnection('reconnecting…', 'down'));
  socket.on('connect_error', async (err) => {
    setConnection('offline', 'down');
    if (err.data?.status === 401 && (await refresh())) socket.connect();
    else if (err.data?.status === 401) signOutWith(err.message);
  });
  socket.on('session.ready', async (ready) => {
    state.agents = new Map(ready.agents.map((a) => [a.userId, a]));
    renderAgents();
    if (state.lastEventId) {
      await catchUp();
      loadViews(); // views may have changed while the socket was away
    } else state.lastEventId = ready.lastEventId;
    if ($('my-status').value === 'away') socket.emit('presence.set', { status: 'away' });
    if (state.openId) socket.emit('ticket.viewing', { ticketId: state.openId }, (ack) => ack.ok && renderCollision(state.openId, ack.viewers));
    scheduleRenewal();
  });
  socket.on('session.expired', async () => {
    if (await refresh()) socket.connect();
    else signOutWith('Your session ended; sign in again.');
  });
  socket.on('session.closing', (e) => setConnection(`closed: ${e.reason}`, 'down'));
  for (const name of [...TICKET_EVENTS, ...BESIDE_EVENTS, ...JOB_EVENTS]) socket.on(name, (data) => apply(name, data));
  for (const name of [...TICKET_EVENTS, 'ticket.deleted']) socket.on(name, viewsSoon);
  socket.on('view.changed', loadViews);
  socket.on('custom_status.changed', loadCustomStatuses);
  socket.on('ticket.sla_warning', (e) => applySla(e, 'at_risk'));
  socket.on('ticket.sla_breached', (e) => applySla(e, 'breached'));
  socket.on('ticket.collision', (e) => renderCollision(e.ticketId, e.viewers));
  socket.on('presence.changed', (p) => {
    if (p.status === 'offline') state.agents.delete(p.userId);
    else state.agents.set(p.userId, p);
    renderAgents();
  });
}

/** Swap in a fresh access token before the current one expires, without reconnecting. */
let renewTimer = null;
function scheduleRenewal() {
  clearTimeout(renewTimer);
  const exp = tokenExpiry(state.session.accessToken);
  if (!exp) return;
  renewTimer = setTimeout(async () => {
    if (await refresh()) state.socket.emit('session.renew', { token: state.session.accessToken }, () => scheduleRenewal());
  }, Math.max(5_000, exp - Date.now() - 60_000));
}

/** After a reconnect: everything committed since the last event we applied, from the event log. */
async function catchUp() {
  try {
    let more = true;
    while (more) {
      const { data } = await api('GET', `/v1/events?after=${state.lastEventId}&limit=200`);
      for (const e of data.data) apply(e.event, e.data);
      state.lastEventId = data.lastEventId;
      more = data.hasMore;
    }
  } catch (error) {
    if (error.status === 404) {
      state.lastEventId = null;
      await loadTickets();
      if (state.openId) await loadJobs(state.openId);
    }
  }
}

function apply(name, e) {
  if (state.seen.has(e.eventId)) return;
  state.seen.add(e.eventId);
  state.lastEventId = e.eventId;
  if (JOB_EVENTS.includes(name)) return applyJobEvent(name, e);
  if (BESIDE_EVENTS.includes(name)) return applyBesideEvent(name, e);
  if (!TICKET_EVENTS.includes(name)) return;
  let t = state.tickets.get(e.ticketId);
  if (name === 'ticket.created') {
    if (t) return;
    t = { ...e.ticket, version: e.version, createdAt: e.occurredAt, updatedAt: e.occurredAt };
    if (!matchesList(t) || ($('sort').value.endsWith(':asc') && state.nextCursor)) return; // an oldest-first list shows it once its last page is loaded
    state.tickets.set(t.id, t);
    state.order.unshift(t.id);
    sortOrder();
    renderList(t.id);
    return;
  }
  if (!t || e.version < t.version) return; // unknown here, or older than what we show
  if (name === 'ticket.updated') for (const [field, change] of Object.entries(e.delta)) t[field] = change.to;
  if (name === 'ticket.assigned') t.assigneeId = e.to;
  if (name === 'ticket.status_changed') {
    if (t.status !== e.to) t.customStatusId = null; // a reply moved it to another category's default
    t.status = e.to;
  }
  t.version = e.version;
  t.updatedAt = e.occurredAt;
  if ($('sort').value.startsWith('updatedAt') && state.order.includes(t.id)) sortOrder();
  if (name === 'ticket.message_added' && state.openId === e.ticketId) appendMessage(e.message);
  renderList(t.id);
  if (state.openId === t.id) {
    renderTicketHead(t);
    renderTags(t);
    renderFields(t);
    if (name !== 'ticket.message_added') loadHistory(t.id);
  }
}

/** A warning or a breach the worker fired at its instant: the row changes colour and flashes, without a reload. */
function applySla(e, slaState) {
  const t = state.tickets.get(e.ticketId);
  if (!t || t.slaState === 'breached') return;
  t.slaState = slaState;
  if (slaState === 'at_risk' && e.deadline) t.slaBreachAt = e.deadline;
  renderList(t.id);
}

function applyBesideEvent(name, e) {
  if (e.ticketId !== state.openId) return;
  if (name === 'ticket.attachment_added') loadAttachments(e.ticketId);
  if (name === 'ticket.participants_changed') loadParticipants(e.ticketId);
  if (name === 'ticket.message_delivery') showDelivery(e);
}

/** A reply's delivery status beside its message (queued, sending, sent, delivered, read, failed with the reason), on any channel. */
function showDelivery(e) {
  const head = document.querySelector(`[data-message-id="${e.messageId}"] .m-head`);
  if (!head) return;
  head.querySelector('.m-delivery')?.remove();
  head.append(el('span', { class: `m-delivery ${e.status}`, title: e.error || '' }, ` · ${e.status}${e.status === 'failed' && e.error ? `: ${e.error}` : ''}`));
}

/** A job of the open ticket changed, or a job was made from it: read its jobs again (the list carries each one's next visit). */
function applyJobEvent(name, e) {
  const ticketId = state.openId;
  if (!ticketId) return;
  const concerns = name === 'job.created' ? e.ticketId === ticketId : state.jobs.some((j) => j.id === e.jobId);
  if (concerns) loadJobs(ticketId, e.jobId);
}

async function loadJobs(ticketId, flashId) {
  if (!state.jobsVisible) return;
  try {
    const { data } = await api('GET', `/v1/field-service/jobs?ticketId=${encodeURIComponent(ticketId)}&limit=20`);
    if (state.openId !== ticketId) return;
    state.jobs = data.data;
    renderJobs(flashId);
  } catch (error) {
    if (error.status === 403) state.jobsVisible = false;
    $('t-jobs').hidden = true;
  }
}

function setConnection(text, cls) {
  $('connection').textContent = text;
  $('connection').className = `pill ${cls}`;
}

function signOutWith(message) {
  saveSession(null);
  state.socket?.disconnect();
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  showSignInStep('login-form');
}

$('my-status').addEventListener('change', (e) => state.socket?.emit('presence.set', { status: e.target.value }));

// ---- Rendering --------------------------------------------------------------------------------
const nameOf = (userId) => (userId ? (state.members.get(userId) ?? state.agents.get(userId)?.name ?? 'Someone') : 'Unassigned');
const ago = (iso) => {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return s < 60 ? 'just now' : s < 3600 ? `${Math.floor(s / 60)} min ago` : s < 86400 ? `${Math.floor(s / 3600)} h ago` : new Date(iso).toLocaleDateString();
};

/** The ticket's SLA at a glance: breached, at risk (the warning fired), the next deadline, or paused; nothing without a clock. */
function slaChip(t) {
  if (!t.slaState || t.slaState === 'none') return null;
  const due = t.slaBreachAt ? Date.parse(t.slaBreachAt) : NaN;
  const overdue = t.slaState === 'breached' || (t.slaState !== 'paused' && due <= Date.now());
  const state = overdue ? 'breached' : t.slaState;
  const left = (ms) => (ms < 3_600_000 ? `${Math.max(1, Math.round(ms / 60_000))} min` : ms < 86_400_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 86_400_000)} d`);
  const text = state === 'breached' ? 'SLA breached' : state === 'paused' ? 'SLA paused' : Number.isFinite(due) ? `SLA ${left(due - Date.now())}` : 'SLA';
  return el('span', { class: `sla ${state}`, 'data-sla': state, title: t.slaBreachAt ? `Next deadline ${new Date(t.slaBreachAt).toLocaleString()}` : '' }, text);
}

function renderList(flashId) {
  const list = $('ticket-list');
  list.replaceChildren(
    ...state.order.map((id) => {
      const t = state.tickets.get(id);
      const viewers = (state.viewersByTicket.get(id) ?? []).filter((v) => v.userId !== state.me?.user?.id);
      return el(
        'li',
        { class: `${id === state.openId ? 'active' : ''} ${id === flashId ? 'flash' : ''} ${id === state.cursorId ? 'cursor' : ''}`, 'data-ticket-id': id },
        el(
          'button',
          { type: 'button', class: 't-item', onclick: () => openTicket(id), ...(id === state.openId ? { 'aria-current': 'true' } : {}) },
          el('span', { class: 't-line1' }, el('span', { class: 't-subject' }, t.subject), el('span', { class: 'muted' }, `#${t.number}`)),
          el(
            'span',
            { class: 't-meta' },
            el('span', { class: `badge ${t.status}` }, t.status.replace('_', ' ')),
            el('span', { class: `prio ${t.priority}` }, t.priority),
            el('span', {}, nameOf(t.assigneeId)),
            slaChip(t),
            t.updatedAt ? el('span', {}, ago(t.updatedAt)) : null,
            viewers.length ? el('span', { class: 'viewers-dot', title: viewers.map((v) => v.name).join(', ') }, `◉ ${viewers.length} viewing`) : null,
          ),
        ),
      );
    }),
  );
}

function renderAgents() {
  const agents = [...state.agents.values()].sort((a, b) => a.name.localeCompare(b.name));
  $('agent-list').replaceChildren(
    ...agents.map((a) =>
      el('li', { 'data-user-id': a.userId }, el('span', { class: `dot ${a.status}` }), el('span', {}, a.name), a.connections > 1 ? el('span', { class: 'muted' }, `· ${a.connections} tabs`) : null),
    ),
  );
}

function renderCollision(ticketId, viewers) {
  state.viewersByTicket.set(ticketId, viewers);
  if (ticketId !== state.openId) return renderList();
  const others = viewers.filter((v) => v.userId !== state.me?.user?.id);
  const typing = others.filter((v) => v.typing);
  const banner = $('collision');
  banner.hidden = others.length === 0;
  const names = (vs) => vs.map((v) => v.name).join(', ');
  banner.textContent = typing.length ? `⚠ ${names(typing)} ${typing.length > 1 ? 'are' : 'is'} typing a reply…` : `◉ ${names(others)} ${others.length > 1 ? 'are' : 'is'} viewing this ticket`;
  banner.classList.toggle('is-typing', typing.length > 0);
  $('typing').textContent = typing.length ? `${names(typing)} ${typing.length > 1 ? 'are' : 'is'} typing…` : '';
  renderList();
}

function options(select, values, current, label = (v) => v) {
  select.replaceChildren(...values.map((v) => el('option', { value: v ?? '' }, label(v))));
  select.value = current ?? '';
}

/**
 * The statuses the API accepts from `from` (libs/tickets/src/domain/ticket.ts assertTransition):
 * `new` only at birth, `closed` only from `solved` and final.
 */
export function allowedStatuses(from) {
  if (from === 'closed') return ['closed'];
  return STATUSES.filter((s) => s === from || (s !== 'new' && (s !== 'closed' || from === 'solved')));
}

async function loadCustomStatuses() {
  try {
    const { data } = await api('GET', '/v1/ticket-statuses');
    state.customStatuses = data.data;
    const open = state.tickets.get(state.openId);
    if (open) renderTicketHead(open);
  } catch {}
}

/** The status picker: each allowed category, followed by its active custom statuses (value `custom:<id>`); the ticket's own custom status stays listed even once deactivated. */
function statusChoices(t) {
  const choices = [];
  for (const category of allowedStatuses(t.status)) {
    choices.push(category);
    for (const c of state.customStatuses) if (c.category === category && (c.active || c.id === t.customStatusId)) choices.push(`custom:${c.id}`);
  }
  return choices;
}
const statusLabel = (value) => {
  if (!value.startsWith('custom:')) return value.replace('_', ' ');
  const custom = state.customStatuses.find((c) => c.id === value.slice(7));
  return custom ? `${custom.category.replace('_', ' ')} · ${custom.agentLabel}` : 'custom status';
};

function renderTicketHead(t) {
  $('t-number').textContent = `#${t.number} · ${t.channel} · v${t.version}`;
  $('t-subject').textContent = t.subject;
  options($('t-status'), statusChoices(t), t.customStatusId ? `custom:${t.customStatusId}` : t.status, statusLabel);
  $('t-status').disabled = t.status === 'closed';
  options($('t-priority'), PRIORITIES, t.priority);
  // Only owners, admins and agents can own a ticket; a current assignee is shown even if their role changed since.
  const people = assignable();
  if (t.assigneeId && !people.includes(t.assigneeId)) people.unshift(t.assigneeId);
  options($('t-assignee'), [null, ...people], t.assigneeId, (id) => nameOf(id));
  renderMerged(t);
}

/** A merged ticket says where it went: "Merged into #N", a link that opens that ticket. */
function renderMerged(t) {
  $('t-merged').hidden = !t.mergedIntoId;
  if (!t.mergedIntoId) return;
  const targetId = t.mergedIntoId;
  const link = $('t-merged-link');
  link.href = `#ticket/${targetId}`;
  link.onclick = (e) => (e.preventDefault(), openTicket(targetId));
  const known = state.tickets.get(targetId);
  link.textContent = known ? `#${known.number}` : 'another ticket';
  if (!known) {
    api('GET', `/v1/tickets/${targetId}`)
      .then(({ data }) => {
        state.tickets.set(data.id, data);
        if (state.openId === t.id) link.textContent = `#${data.number}`;
      })
      .catch(() => undefined);
  }
}

const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

function renderJobs(flashId) {
  $('t-jobs').hidden = state.jobs.length === 0;
  $('job-list').replaceChildren(
    ...state.jobs.map((j) =>
      el(
        'li',
        { 'data-job-id': j.id, 'data-status': j.status, 'data-next-visit': j.nextVisitAt ?? '', class: j.id === flashId ? 'flash' : '' },
        el('span', { class: 'j-title' }, j.title),
        el('span', { class: `badge ${j.status}` }, j.status.replace('_', ' ')),
        el('span', { class: 'j-next' }, j.nextVisitAt ? `Next visit ${when(j.nextVisitAt)}` : 'No visit planned'),
      ),
    ),
  );
}

function appendMessage(m) {
  if (document.querySelector(`[data-message-id="${m.id}"]`)) return;
  document.querySelector('#messages .no-messages')?.remove();
  const authorEl = el('span', { class: 'm-author' }, m.authorType === 'agent' ? nameOf(m.authorId) : m.authorType === 'contact' ? 'Customer' : 'System');
  if (m.authorType === 'contact' && m.authorId) contact(m.authorId).then((c) => c && (authorEl.textContent = c.name || c.emails[0] || 'Customer'));
  $('messages').append(
    el(
      'li',
      { class: m.visibility, 'data-message-id': m.id },
      el('div', { class: 'm-head' }, el('span', {}, authorEl, m.visibility === 'internal' ? ' · internal note' : ''), el('time', { datetime: m.createdAt, title: when(m.createdAt) }, ago(m.createdAt))),
      el('div', { class: 'm-body' }, m.body),
    ),
  );
}

/** A contact, read once per page (GET /v1/contacts/{id}); null when it cannot be read. */
function contact(id) {
  if (!state.contacts.has(id)) {
    state.contacts.set(
      id,
      api('GET', `/v1/contacts/${id}`).then(
        ({ data }) => data,
        () => null,
      ),
    );
  }
  return state.contacts.get(id);
}

// ---- Side panels: requester, tags, participants, attachments, history ------------------------
async function renderRequester(t) {
  $('r-name').textContent = '…';
  $('r-email').textContent = '';
  $('r-tickets').replaceChildren();
  const c = await contact(t.requesterId);
  if (state.openId !== t.id) return;
  $('r-name').textContent = c?.name || 'Unknown requester';
  const email = c?.emails?.[0];
  $('r-email').replaceChildren(email ? el('a', { href: `mailto:${email}` }, email) : (c?.phones?.[0] ?? ''));
  try {
    const { data } = await api('GET', `/v1/tickets?${new URLSearchParams({ requesterId: t.requesterId, status: STATUSES.join(','), limit: '6', sort: 'updatedAt' })}`);
    if (state.openId !== t.id) return;
    const others = data.data.filter((o) => o.id !== t.id).slice(0, 5);
    $('r-tickets').replaceChildren(
      ...(others.length
        ? others.map((o) =>
            el(
              'li',
              { 'data-ticket-id': o.id },
              el('a', { href: `#ticket/${o.id}`, onclick: (e) => (e.preventDefault(), openTicket(o.id, o)) }, `#${o.number} ${o.subject}`),
              ' ',
              el('span', { class: `badge ${o.status}` }, o.status.replace('_', ' ')),
            ),
          )
        : [el('li', { class: 'muted' }, 'No other tickets')]),
    );
  } catch {}
}

/** Field definitions by key (deleted ones too: old values stay readable), loaded once per session. */
let fieldDefinitions;
async function loadFieldDefinitions() {
  if (!fieldDefinitions) {
    fieldDefinitions = api('GET', '/v1/ticket-fields?limit=100&includeDeleted=true')
      .then(({ data }) => new Map(data.data.map((f) => [f.key, f])))
      .catch(() => new Map());
  }
  return fieldDefinitions;
}

/** A custom field value as an agent reads it: option labels for choices, yes/no for checkboxes. */
function fieldText(field, value) {
  const label = (v) => field?.options?.find((o) => o.value === v)?.label ?? v;
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(label(value));
}

/** The ticket's custom fields, in the order they were defined; the panel hides when the ticket has none. */
async function renderFields(t) {
  const definitions = await loadFieldDefinitions();
  if (state.openId !== t.id) return;
  const entries = Object.entries(t.fields ?? {}).sort(([a], [b]) => (definitions.get(a)?.createdAt ?? a).localeCompare(definitions.get(b)?.createdAt ?? b));
  $('custom-fields').hidden = entries.length === 0;
  $('field-list').replaceChildren(
    ...entries.flatMap(([key, value]) => {
      const field = definitions.get(key);
      return [el('dt', {}, field?.label ?? key), el('dd', { 'data-field': key }, fieldText(field, value))];
    }),
  );
}

function renderTags(t) {
  $('tag-list').replaceChildren(
    ...t.tags.map((tag) =>
      el(
        'li',
        { class: 'chip', 'data-tag': tag },
        el('span', {}, tag),
        el('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove tag ${tag}`, onclick: () => saveTags(t.tags.filter((x) => x !== tag)) }, '×'),
      ),
    ),
  );
}

async function saveTags(tags) {
  $('tag-error').textContent = '';
  const bad = tags.find((tag) => !TAG.test(tag));
  if (bad !== undefined) {
    $('tag-error').textContent = 'A tag is 1 to 50 letters, digits, _, - or :.';
    return false;
  }
  return change('tags', tags, $('tag-error'));
}
$('tag-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const t = state.tickets.get(state.openId);
  const tag = $('tag-input').value.trim().toLowerCase();
  if (!t || !tag) return;
  if (t.tags.includes(tag) || (await saveTags([...t.tags, tag]))) $('tag-input').value = '';
});

async function loadParticipants(ticketId) {
  try {
    const { data } = await api('GET', `/v1/tickets/${ticketId}/participants`);
    if (state.openId !== ticketId) return;
    const me = state.me?.user?.id;
    const following = data.data.some((p) => p.role === 'follower' && p.participantId === me);
    $('follow').hidden = !me;
    $('follow').textContent = following ? 'Unfollow' : 'Follow';
    $('follow').dataset.following = String(following);
    $('participant-list').replaceChildren(
      ...(data.data.length
        ? data.data.map((p) => {
            const name = el('span', {}, p.role === 'follower' ? nameOf(p.participantId) : '…');
            if (p.role === 'cc') contact(p.participantId).then((c) => (name.textContent = c?.name || c?.emails?.[0] || 'Contact'));
            return el('li', { 'data-participant-id': p.participantId }, name, el('span', { class: 'badge' }, p.role === 'cc' ? 'CC' : 'follower'));
          })
        : [el('li', { class: 'muted' }, 'No CCs or followers')]),
    );
  } catch {}
}

$('follow').addEventListener('click', async () => {
  const ticketId = state.openId;
  const me = state.me?.user?.id;
  if (!ticketId || !me) return;
  try {
    if ($('follow').dataset.following === 'true') await api('DELETE', `/v1/tickets/${ticketId}/participants/follower/${me}`);
    else await api('POST', `/v1/tickets/${ticketId}/participants`, { role: 'follower', participantId: me });
  } catch (error) {
    $('participant-error').textContent = error.message;
  }
  loadParticipants(ticketId);
});

const size = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);
/** Attachment bytes need the bearer token, and the page's CSP allows data: images (not blob:), so previews are data URLs. */
async function attachmentDataUrl(ticketId, a) {
  const blob = await download(`/v1/tickets/${ticketId}/attachments/${a.id}`);
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = reject;
    reader.readAsDataURL(blob);
  });
}

async function loadAttachments(ticketId) {
  try {
    const { data } = await api('GET', `/v1/tickets/${ticketId}/attachments`);
    if (state.openId !== ticketId) return;
    state.attachments = data.data;
    renderAttachments(ticketId);
  } catch {}
}

function renderAttachments(ticketId) {
  $('attachment-list').replaceChildren(
    ...(state.attachments.length
      ? state.attachments.map((a) => {
          const isImage = a.contentType.startsWith('image/') && a.contentType !== 'image/heic' && a.size <= PREVIEW_MAX_BYTES;
          const item = el(
            'li',
            { 'data-attachment-id': a.id },
            el('button', { type: 'button', class: 'link', onclick: () => save(ticketId, a) }, a.filename),
            el('span', { class: 'muted' }, ` ${size(a.size)}`),
          );
          if (isImage) {
            attachmentDataUrl(ticketId, a).then(
              (url) => item.prepend(el('img', { class: 'preview', src: url, alt: `Preview of ${a.filename}` })),
              () => {},
            );
          }
          return item;
        })
      : [el('li', { class: 'muted' }, 'No attachments')]),
  );
}

async function save(ticketId, a) {
  try {
    const link = el('a', { href: await attachmentDataUrl(ticketId, a), download: a.filename });
    link.click();
  } catch (error) {
    $('upload-error').textContent = error.message;
  }
}

async function upload(files) {
  const ticketId = state.openId;
  if (!ticketId) return;
  $('upload-error').textContent = '';
  for (const file of files) {
    $('upload-status').textContent = `Uploading ${file.name}…`;
    const body = new FormData();
    body.append('file', file, file.name);
    try {
      const { data } = await api('POST', `/v1/tickets/${ticketId}/attachments`, body);
      if (state.openId === ticketId && !state.attachments.some((a) => a.id === data.id)) {
        state.attachments.push(data);
        renderAttachments(ticketId);
      }
    } catch (error) {
      $('upload-error').textContent = `${file.name}: ${error.message}`;
    }
  }
  $('upload-status').textContent = '';
}
$('file-input').addEventListener('change', (e) => {
  upload([...e.target.files]);
  e.target.value = '';
});
// Files dropped anywhere on an open ticket are attached to it; elsewhere a drop does nothing (the browser would navigate away to the file).
const dropzone = $('dropzone');
const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
for (const type of ['dragenter', 'dragover']) {
  document.addEventListener(type, (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    const onTicket = !!state.openId && $('ticket').contains(e.target);
    if (e.dataTransfer) e.dataTransfer.dropEffect = onTicket ? 'copy' : 'none';
    dropzone.classList.toggle('over', onTicket);
  });
}
document.addEventListener('dragleave', (e) => e.relatedTarget === null && dropzone.classList.remove('over'));
document.addEventListener('drop', (e) => {
  if (!hasFiles(e) && !e.dataTransfer?.files?.length) return;
  e.preventDefault();
  dropzone.classList.remove('over');
  if (state.openId && $('ticket').contains(e.target) && e.dataTransfer.files.length) upload([...e.dataTransfer.files]);
});

const FIELD_LABELS = { assigneeId: 'assignee', requesterId: 'requester', dueAt: 'due date', externalId: 'external id' };
const showValue = (field, v) => (v == null || (Array.isArray(v) && v.length === 0) ? '—' : field === 'assigneeId' ? nameOf(v) : Array.isArray(v) ? v.join(', ') : String(v));

const ACTOR_LABELS = { api_key: 'API key', contact: 'Customer', system: 'System', platform_admin: 'Platform admin' };

async function loadHistory(ticketId) {
  try {
    const { data } = await api('GET', `/v1/tickets/${ticketId}/history?limit=50`);
    if (state.openId !== ticketId) return;
    $('history-list').replaceChildren(
      ...data.data.map((h) => {
        const who = h.actorType === 'user' ? nameOf(h.actorId) : (ACTOR_LABELS[h.actorType] ?? h.actorType);
        const changes = Object.entries(h.changes ?? {}).map(([field, c]) => `${FIELD_LABELS[field] ?? field}: ${showValue(field, c?.from)} → ${showValue(field, c?.to)}`);
        return el(
          'li',
          { 'data-history-id': h.id },
          el('span', { class: 'h-who' }, who),
          ' ',
          el('span', {}, changes.length ? changes.join('; ') : h.action.replace(/^ticket\./, '').replace(/_/g, ' ')),
          ' ',
          el('time', { class: 'muted', datetime: h.createdAt, title: when(h.createdAt) }, ago(h.createdAt)),
        );
      }),
    );
  } catch {}
}

/** Opens a ticket; `known` is its view when it is not in the list (a requester's other ticket). */
async function openTicket(id, known) {
  if (state.openId && state.openId !== id) state.socket?.emit('ticket.left', { ticketId: state.openId });
  if (!state.tickets.has(id)) state.tickets.set(id, known ?? (await api('GET', `/v1/tickets/${id}`)).data);
  const t = state.tickets.get(id);
  state.openId = id;
  history.replaceState(null, '', `#ticket/${id}`); // a link to this ticket (the requester panel's links use the same form)
  if (state.order.includes(id)) state.cursorId = id;
  document.body.classList.add('ticket-open');
  $('empty').hidden = true;
  $('create-form').hidden = true;
  $('ticket').hidden = false;
  $('collision').hidden = true;
  $('typing').textContent = '';
  $('reply-error').textContent = '';
  $('tag-error').textContent = '';
  $('upload-error').textContent = '';
  $('participant-error').textContent = '';
  renderTicketHead(t);
  renderTags(t);
  renderFields(t);
  renderList();
  state.jobs = [];
  state.attachments = [];
  renderJobs();
  $('attachment-list').replaceChildren();
  $('participant-list').replaceChildren();
  $('history-list').replaceChildren();
  loadJobs(id);
  renderRequester(t);
  loadAttachments(id);
  loadParticipants(id);
  loadHistory(id);
  $('messages').replaceChildren();
  const { data } = await api('GET', `/v1/tickets/${id}/messages?limit=100`);
  if (state.openId !== id) return;
  for (const m of data.data) appendMessage(m);
  if (data.data.length === 0) $('messages').append(el('li', { class: 'no-messages muted' }, 'No messages yet.'));
  state.socket?.emit('ticket.viewing', { ticketId: id }, (ack) => ack.ok && renderCollision(id, ack.viewers));
}

async function change(field, value, errorEl = $('reply-error')) {
  const t = state.tickets.get(state.openId);
  errorEl.textContent = '';
  try {
    const { data } = await api('PATCH', `/v1/tickets/${t.id}`, { [field]: value }, { 'if-match': `W/"${t.version}"` });
    Object.assign(t, data);
    renderTicketHead(t);
    renderTags(t);
    renderList();
    loadHistory(t.id);
    return true;
  } catch (error) {
    errorEl.textContent = error.message;
    renderTicketHead(t);
    return false;
  }
}
$('t-status').addEventListener('change', (e) => (e.target.value.startsWith('custom:') ? change('customStatusId', e.target.value.slice(7)) : change('status', e.target.value)));
$('t-priority').addEventListener('change', (e) => change('priority', e.target.value));
$('t-assignee').addEventListener('change', (e) => change('assigneeId', e.target.value || null));

// ---- Reply, typing ----------------------------------------------------------------------------
const replyForm = $('reply-form');
replyForm.addEventListener('change', () => replyForm.classList.toggle('internal', replyForm.visibility.value === 'internal'));
$('reply-body').addEventListener('input', () => {
  const ticketId = state.openId;
  if (!ticketId) return;
  if (Date.now() - state.typingSentAt > TYPING_REPEAT_MS) {
    state.typingSentAt = Date.now();
    state.socket?.emit('ticket.typing', { ticketId, state: 'start' });
  }
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(() => stopTyping(ticketId), TYPING_IDLE_MS);
});
function stopTyping(ticketId) {
  clearTimeout(state.typingTimer);
  if (!state.typingSentAt) return;
  state.typingSentAt = 0;
  state.socket?.emit('ticket.typing', { ticketId, state: 'stop' });
}
replyForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const ticketId = state.openId;
  $('reply-error').textContent = '';
  try {
    const { data } = await api('POST', `/v1/tickets/${ticketId}/messages`, { body: $('reply-body').value, visibility: replyForm.visibility.value });
    appendMessage(data);
    $('reply-body').value = '';
    stopTyping(ticketId);
  } catch (error) {
    $('reply-error').textContent = error.message;
  }
});

// ---- New ticket -------------------------------------------------------------------------------
$('new-ticket').addEventListener('click', () => {
  if (state.openId) state.socket?.emit('ticket.left', { ticketId: state.openId });
  state.openId = null;
  document.body.classList.add('ticket-open');
  $('ticket').hidden = true;
  $('empty').hidden = true;
  $('create-form').hidden = false;
  $('create-form').subject.focus();
  renderList();
});
$('cancel-create').addEventListener('click', () => {
  document.body.classList.remove('ticket-open');
  $('create-form').hidden = true;
  $('empty').hidden = false;
});
$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  $('create-error').textContent = '';
  try {
    const body = { subject: form.get('subject'), requester: { email: form.get('email') } };
    if (form.get('description')) body.description = form.get('description');
    const { data } = await api('POST', '/v1/tickets', body);
    e.target.reset();
    if (!state.tickets.has(data.id)) {
      state.tickets.set(data.id, data);
      state.order.unshift(data.id);
    }
    await openTicket(data.id);
  } catch (error) {
    $('create-error').textContent = error.message;
  }
});

// ---- Back to the list (narrow screens), keyboard ------------------------------------------------
function closeTicket() {
  if (state.openId) state.socket?.emit('ticket.left', { ticketId: state.openId });
  const id = state.openId;
  state.openId = null;
  history.replaceState(null, '', location.pathname);
  document.body.classList.remove('ticket-open');
  $('ticket').hidden = true;
  $('create-form').hidden = true;
  $('empty').hidden = false;
  renderList();
  if (id) document.querySelector(`#ticket-list [data-ticket-id="${id}"] .t-item`)?.focus();
}
$('back').addEventListener('click', closeTicket);

function moveCursor(step) {
  if (state.order.length === 0) return;
  const at = state.order.indexOf(state.cursorId); // -1 when nothing is selected: j goes to the first
  state.cursorId = state.order[Math.max(0, Math.min(state.order.length - 1, at === -1 ? 0 : at + step))];
  renderList();
  const item = document.querySelector(`#ticket-list [data-ticket-id="${state.cursorId}"]`);
  item?.scrollIntoView({ block: 'nearest' });
  item?.querySelector('.t-item')?.focus({ preventScroll: true });
}

const typingInto = (target) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function reply(visibility) {
  if (!state.openId) return;
  replyForm.visibility.value = visibility;
  replyForm.classList.toggle('internal', visibility === 'internal');
  $('reply-body').focus();
}

const SHORTCUTS = {
  j: () => moveCursor(1),
  k: () => moveCursor(-1),
  o: () => state.cursorId && openTicket(state.cursorId),
  r: () => reply('public'),
  n: () => reply('internal'),
  c: () => $('new-ticket').click(),
  '/': () => $('search').focus(),
  '?': () => toggleHelp(),
};

function toggleHelp() {
  const help = $('help');
  if (help.open) help.close();
  else help.showModal();
}
$('help-button').addEventListener('click', toggleHelp);

document.addEventListener('keydown', (e) => {
  if ($('app').hidden || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
  if (e.key === 'Escape') {
    if ($('help').open) return; // the dialog closes itself
    if (typingInto(e.target)) e.target.blur();
    else if (document.body.classList.contains('ticket-open')) closeTicket();
    return;
  }
  // Never steal keys from a field being typed in, or from the open help dialog.
  if (typingInto(e.target) || $('help').open) return;
  if (e.key === 'Enter') {
    // Enter on a focused button or link activates it (j/k focus the selected ticket's button); elsewhere it opens the selected ticket.
    if (e.target instanceof HTMLElement && e.target.closest('button, a, summary')) return;
    if (state.cursorId) {
      e.preventDefault();
      openTicket(state.cursorId);
    }
    return;
  }
  const action = SHORTCUTS[e.key];
  if (!action) return;
  e.preventDefault();
  action();
});

// ---- Single sign-on (ADR 0033) ----------------------------------------------------------------
const SSO_ERRORS = {
  'sso-not-configured': 'Single sign-on is not set up for this workspace.',
  'state-mismatch': 'The sign-in was started in another browser or tab; try again.',
  'state-invalid': 'That sign-in link has expired or was already used; try again.',
  'idp-error': 'Your identity provider refused the sign-in.',
  'idp-unreachable': 'Your identity provider could not be reached; try again later.',
  'token-invalid': 'Your identity provider’s answer could not be verified.',
  'email-missing': 'Your identity provider did not share an email address.',
  'email-unverified': 'Your identity provider has not verified your email address.',
  'email-domain-not-allowed': 'Your email address does not belong to this workspace.',
  'not-a-member': 'You have no account in this workspace yet; ask an admin to add you.',
  'tenant-inactive': 'This workspace is suspended.',
};

$('sso-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const value = String(new FormData(e.target).get('sso') ?? '').trim();
  $('sso-error').textContent = '';
  try {
    let slug = value.toLowerCase();
    if (value.includes('@')) ({ data: { tenant: { slug } } } = await api('POST', '/v1/auth/sso/discover', { email: value }));
    location.assign(`/v1/auth/sso/${encodeURIComponent(slug)}/start`);
  } catch (error) {
    $('sso-error').textContent = error.message;
  }
});

/** Back from the identity provider: `#sso=<one-time code>` becomes a session, `#sso_error=<code>` a message. */
async function completeSso() {
  const params = new URLSearchParams(location.hash.slice(1));
  const code = params.get('sso');
  const failure = params.get('sso_error');
  if (!code && !failure) return;
  // The code is single use: out of the address bar and history at once.
  history.replaceState(null, '', location.pathname + location.search);
  if (failure) {
    $('sso-error').textContent = SSO_ERRORS[failure] ?? 'Single sign-on failed; try again.';
    return;
  }
  try {
    const { data } = await api('POST', '/v1/auth/sso/exchange', { code });
    saveSession({ accessToken: data.accessToken, refreshToken: data.refreshToken, tenant: data.tenant });
  } catch (error) {
    $('sso-error').textContent = error.message;
  }
}
await completeSso();

// ---- Boot -------------------------------------------------------------------------------------
if (state.session) start().catch(() => signOutWith('Sign in again.'));
else $('login').hidden = false;
