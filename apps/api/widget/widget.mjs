/* Switchboard web chat widget: <script src="https://api.example/widget.js" data-key="wk_…" async></script>. Plain JS, no framework. */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[data-key][src*="widget.js"]');
  if (!script || window.__switchboardWidget) return;
  window.__switchboardWidget = true;
  var key = script.getAttribute('data-key');
  var api = new URL(script.src, location.href).origin;
  var base = api + '/v1/public/widget/' + encodeURIComponent(key);
  var store = 'switchboard-widget:' + key;
  var seen = {};
  var config, session, socket, poller, els = {};

  function load() {
    try {
      var s = JSON.parse(localStorage.getItem(store) || 'null');
      return s && new Date(s.expiresAt) > new Date() ? s : null;
    } catch (e) { return null; }
  }
  function save(s) { session = s; try { s ? localStorage.setItem(store, JSON.stringify(s)) : localStorage.removeItem(store); } catch (e) { /* private mode: the session lives as long as the page */ } }
  function call(method, path, body) {
    var headers = { 'content-type': 'application/json' };
    if (session) headers.authorization = 'Bearer ' + session.token;
    return fetch(base + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (res.status === 401) save(null);
        if (!res.ok) throw Object.assign(new Error(json.detail || 'The chat is unavailable.'), { status: res.status });
        return json;
      });
    });
  }
  function el(tag, css, text) { var e = document.createElement(tag); if (css) e.className = css; if (text) e.textContent = text; return e; }

  function add(m) {
    if (seen[m.id]) return;
    seen[m.id] = true;
    var row = el('div', 'msg ' + m.author, m.body);
    row.setAttribute('data-id', m.id);
    els.list.appendChild(row);
    els.list.scrollTop = els.list.scrollHeight;
  }
  function status(text) { els.status.textContent = text || ''; }

  function history() { return call('GET', '/messages').then(function (r) { r.data.forEach(add); }); }
  function live() {
    if (!session || socket) return;
    var connect = function () {
      socket = window.io(api + '/visitor', { auth: { token: session.token }, transports: ['websocket'] });
      socket.on('message', add);
      socket.on('connect', function () { history().catch(function () {}); });
      socket.on('connect_error', function (err) { if (err && err.data && err.data.status === 401) { socket.close(); socket = null; save(null); } });
    };
    if (window.io) return connect();
    var tag = document.createElement('script');
    tag.src = api + '/socket.io/socket.io.min.js';
    tag.onload = connect;
    // Without the socket client, the history is polled while the chat is open.
    tag.onerror = function () { poller = setInterval(function () { if (els.panel.style.display !== 'none') history().catch(function () {}); }, 10000); };
    document.head.appendChild(tag);
  }

  function send(ev) {
    ev.preventDefault();
    var text = els.input.value.trim();
    if (!text) return;
    els.send.disabled = true;
    status('');
    var start = session ? Promise.resolve() : call('POST', '/sessions', intro()).then(save);
    start
      .then(function () { return call('POST', '/messages', { body: text }); })
      .then(function (m) { add(m); els.input.value = ''; els.intro.style.display = 'none'; live(); })
      .catch(function (e) { status(e.message); })
      .then(function () { els.send.disabled = false; els.input.focus(); });
  }
  function intro() {
    var out = {};
    if (els.name.value.trim()) out.name = els.name.value.trim();
    if (els.email.value.trim()) out.email = els.email.value.trim();
    return out;
  }

  function toggle() {
    var open = els.panel.style.display === 'none';
    els.panel.style.display = open ? 'flex' : 'none';
    if (open && session) { history().catch(function (e) { status(e.message); }); live(); }
    if (open) els.input.focus();
  }

  function draw() {
    var host = document.createElement('div');
    host.id = 'switchboard-widget';
    var root = host.attachShadow({ mode: 'open' });
    var c = config.color;
    var style = el('style');
    style.textContent =
      ':host{all:initial;font:14px/1.4 system-ui,sans-serif}' +
      '.launch{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:' + c + ';color:#fff;font-size:24px;cursor:pointer;box-shadow:0 4px 12px #0003;z-index:2147483000}' +
      '.panel{position:fixed;right:20px;bottom:88px;width:340px;max-width:calc(100vw - 40px);height:460px;max-height:calc(100vh - 120px);background:#fff;border-radius:12px;box-shadow:0 8px 30px #0004;display:flex;flex-direction:column;overflow:hidden;z-index:2147483000}' +
      '.head{background:' + c + ';color:#fff;padding:12px 16px;font-weight:600}.list{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:6px}' +
      '.msg{max-width:80%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}.msg.visitor{align-self:flex-end;background:' + c + ';color:#fff}.msg.agent{align-self:flex-start;background:#f0f2f5;color:#111}' +
      '.greet{color:#555;font-size:13px}.intro{display:flex;gap:6px;padding:0 12px}.intro input{flex:1;min-width:0}' +
      'form{display:flex;gap:6px;padding:12px;border-top:1px solid #eee}input,textarea{font:inherit;padding:6px 8px;border:1px solid #ccc;border-radius:6px}textarea{flex:1;resize:none;height:38px}' +
      'button.send{background:' + c + ';color:#fff;border:0;border-radius:6px;padding:0 14px;cursor:pointer}.status{color:#b42318;font-size:12px;padding:0 12px}';
    els.launch = el('button', 'launch', '\u{1F4AC}');
    var t = config.strings || {};
    els.launch.setAttribute('aria-label', t['ui.widget.title'] || config.name);
    els.panel = el('div', 'panel');
    els.panel.style.display = 'none';
    els.panel.appendChild(el('div', 'head', config.name));
    els.list = el('div', 'list');
    els.list.appendChild(el('div', 'greet', config.greeting));
    els.intro = el('div', 'intro');
    els.name = el('input'); els.name.placeholder = t['ui.contact_form.name'] || 'Name'; els.name.maxLength = 200;
    els.email = el('input'); els.email.placeholder = t['ui.contact_form.email'] || 'Email'; els.email.type = 'email'; els.email.maxLength = 254;
    els.intro.appendChild(els.name); els.intro.appendChild(els.email);
    if (config.collectContact === 'none' || session) els.intro.style.display = 'none';
    els.status = el('div', 'status');
    var form = el('form');
    els.input = el('textarea'); els.input.placeholder = t['ui.widget.placeholder'] || ''; els.input.maxLength = config.maxMessageLength;
    els.input.addEventListener('keydown', function (e) { if (e.key === 'Enter' && !e.shiftKey) send(e); });
    els.send = el('button', 'send', t['ui.widget.send'] || 'Send'); els.send.type = 'submit';
    form.appendChild(els.input); form.appendChild(els.send);
    form.addEventListener('submit', send);
    [els.list, els.intro, els.status, form].forEach(function (n) { els.panel.appendChild(n); });
    els.launch.addEventListener('click', toggle);
    root.appendChild(style); root.appendChild(els.panel); root.appendChild(els.launch);
    document.body.appendChild(host);
  }

  session = load();
  call('GET', '?locale=' + encodeURIComponent(navigator.language || '')).then(function (c) {
    config = c;
    if (document.body) draw(); else document.addEventListener('DOMContentLoaded', draw);
  }).catch(function (e) { if (window.console) console.warn('Switchboard widget: ' + e.message); });
})();
