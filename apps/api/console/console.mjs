// Switchboard agent console: plain ES module on the public REST API and the /agents socket.
import { io } from '/socket.io/socket.io.esm.min.js';

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
const TICKET_EVENTS = ['ticket.created', 'ticket.updated', 'ticket.message_added', 'ticket.assigned', 'ticket.status_changed'];
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
};

// ---- REST -------------------------------------------------------------------------------------
async function api(method, path, body, headers = {}) {
  const res = await fetch(path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(state.session ? { authorization: `Bearer ${state.session.accessToken}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && state.session && !path.startsWith('/v1/auth/') && (await refresh())) return api(method, path, body, headers);
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw Object.assign(new Error(data?.detail || res.statusText), { status: res.status, problem: data });
  return { data, headers: res.headers };
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
$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  $('login-error').textContent = '';
  try {
    const body = { email: form.get('email'), password: form.get('password') };
    if (form.get('tenant')) body.tenant = form.get('tenant');
    const { data } = await api('POST', '/v1/auth/login', body);
    saveSession({ accessToken: data.accessToken, refreshToken: data.refreshToken, tenant: data.tenant });
    await start();
  } catch (error) {
    $('login-error').textContent = error.message;
  }
});

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
    const { data: members } = await api('GET', '/v1/members?limit=100');
    for (const m of members.data) state.members.set(m.userId, m.name);
  } catch {}
  connect();
  await loadTickets();
}

async function loadTickets() {
  const status = $('status-filter').value || 'new,open,pending,on_hold';
  const { data } = await api('GET', `/v1/tickets?limit=100&status=${encodeURIComponent(status)}`);
  state.tickets.clear();
  state.order = [];
  for (const t of data.data) {
    state.tickets.set(t.id, t);
    state.order.push(t.id);
  }
  renderList();
}
$('status-filter').addEventListener('change', loadTickets);

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
    if (state.lastEventId) await catchUp();
    else state.lastEventId = ready.lastEventId;
    if ($('my-status').value === 'away') socket.emit('presence.set', { status: 'away' });
    if (state.openId) socket.emit('ticket.viewing', { ticketId: state.openId }, (ack) => ack.ok && renderCollision(state.openId, ack.viewers));
    scheduleRenewal();
  });
  socket.on('session.expired', async () => {
    if (await refresh()) socket.connect();
    else signOutWith('Your session ended; sign in again.');
  });
  socket.on('session.closing', (e) => setConnection(`closed: ${e.reason}`, 'down'));
  for (const name of [...TICKET_EVENTS, ...JOB_EVENTS]) socket.on(name, (data) => apply(name, data));
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
  if (!TICKET_EVENTS.includes(name)) return;
  let t = state.tickets.get(e.ticketId);
  if (name === 'ticket.created') {
    if (t) return;
    t = { ...e.ticket, version: e.version, updatedAt: e.occurredAt };
    state.tickets.set(t.id, t);
    state.order.unshift(t.id);
    renderList(t.id);
    return;
  }
  if (!t || e.version < t.version) return; // unknown here, or older than what we show
  if (name === 'ticket.updated') for (const [field, change] of Object.entries(e.delta)) t[field] = change.to;
  if (name === 'ticket.assigned') t.assigneeId = e.to;
  if (name === 'ticket.status_changed') t.status = e.to;
  t.version = e.version;
  t.updatedAt = e.occurredAt;
  if (name === 'ticket.message_added' && state.openId === e.ticketId) appendMessage(e.message);
  renderList(t.id);
  if (state.openId === t.id) renderTicketHead(t);
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
}

$('my-status').addEventListener('change', (e) => state.socket?.emit('presence.set', { status: e.target.value }));

// ---- Rendering --------------------------------------------------------------------------------
const nameOf = (userId) => (userId ? (state.members.get(userId) ?? state.agents.get(userId)?.name ?? 'Someone') : 'Unassigned');
const ago = (iso) => {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return s < 60 ? 'just now' : s < 3600 ? `${Math.floor(s / 60)} min ago` : s < 86400 ? `${Math.floor(s / 3600)} h ago` : new Date(iso).toLocaleDateString();
};

function renderList(flashId) {
  const list = $('ticket-list');
  list.replaceChildren(
    ...state.order.map((id) => {
      const t = state.tickets.get(id);
      const viewers = (state.viewersByTicket.get(id) ?? []).filter((v) => v.userId !== state.me?.user?.id);
      return el(
        'li',
        { class: `${id === state.openId ? 'active' : ''} ${id === flashId ? 'flash' : ''}`, 'data-ticket-id': id, onclick: () => openTicket(id) },
        el('div', { class: 't-line1' }, el('span', { class: 't-subject' }, t.subject), el('span', { class: 'muted' }, `#${t.number}`)),
        el(
          'div',
          { class: 't-meta' },
          el('span', { class: `badge ${t.status}` }, t.status.replace('_', ' ')),
          el('span', {}, t.priority),
          el('span', {}, nameOf(t.assigneeId)),
          t.updatedAt ? el('span', {}, ago(t.updatedAt)) : null,
          viewers.length ? el('span', { class: 'viewers-dot', title: viewers.map((v) => v.name).join(', ') }, `◉ ${viewers.length} viewing`) : null,
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

function renderTicketHead(t) {
  $('t-number').textContent = `#${t.number} · ${t.channel} · v${t.version}`;
  $('t-subject').textContent = t.subject;
  options($('t-status'), STATUSES, t.status, (s) => s.replace('_', ' '));
  options($('t-priority'), PRIORITIES, t.priority);
  options($('t-assignee'), [null, ...state.members.keys()], t.assigneeId, (id) => nameOf(id));
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
  const author = m.authorType === 'agent' ? nameOf(m.authorId) : m.authorType === 'contact' ? 'Customer' : 'System';
  $('messages').append(
    el(
      'li',
      { class: m.visibility, 'data-message-id': m.id },
      el('div', { class: 'm-head' }, el('span', {}, `${author}${m.visibility === 'internal' ? ' · internal note' : ''}`), el('span', {}, ago(m.createdAt))),
      el('div', { class: 'm-body' }, m.body),
    ),
  );
}

async function openTicket(id) {
  if (state.openId && state.openId !== id) state.socket?.emit('ticket.left', { ticketId: state.openId });
  state.openId = id;
  $('empty').hidden = true;
  $('create-form').hidden = true;
  $('ticket').hidden = false;
  $('collision').hidden = true;
  $('typing').textContent = '';
  renderTicketHead(state.tickets.get(id));
  renderList();
  state.jobs = [];
  renderJobs();
  loadJobs(id);
  $('messages').replaceChildren();
  const { data } = await api('GET', `/v1/tickets/${id}/messages?limit=100`);
  if (state.openId !== id) return;
  for (const m of data.data) appendMessage(m);
  state.socket?.emit('ticket.viewing', { ticketId: id }, (ack) => ack.ok && renderCollision(id, ack.viewers));
}

async function change(field, value) {
  const t = state.tickets.get(state.openId);
  try {
    const { data } = await api('PATCH', `/v1/tickets/${t.id}`, { [field]: value }, { 'if-match': `W/"${t.version}"` });
    Object.assign(t, data);
    renderTicketHead(t);
    renderList();
  } catch (error) {
    $('reply-error').textContent = error.message;
    renderTicketHead(t);
  }
}
$('t-status').addEventListener('change', (e) => change('status', e.target.value));
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
  $('ticket').hidden = true;
  $('empty').hidden = true;
  $('create-form').hidden = false;
  renderList();
});
$('cancel-create').addEventListener('click', () => {
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

// ---- Boot -------------------------------------------------------------------------------------
if (state.session) start().catch(() => signOutWith('Sign in again.'));
else $('login').hidden = false;
