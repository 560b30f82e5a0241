// The dashboard: polls the service's own JSON (api/status, health) and draws it. Every text from
// the catalog (channel titles, error messages) goes in through textContent, never as HTML: a
// channel title is whatever its owner typed. Paths are relative, so the page also works behind a
// reverse proxy that serves it under a sub-path.
'use strict';

const REFRESH_MS = 5000;
const PROBLEMS_SHOWN = 100;
const POSTS_SHOWN = 30;
const SAVED = 'channel-mirror:last';

const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = Number(n);
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return (i === 0 ? String(v) : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)) + ' ' + units[i];
}

function count(n) {
  return Number(n || 0).toLocaleString('en-US');
}

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

/** "3 min 5 s ago", with the exact time as a tooltip. */
function ago(iso, now) {
  if (!iso) return el('span', { class: 'muted' }, 'never');
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return el('span', {}, iso);
  return el('time', { datetime: iso, title: new Date(t).toLocaleString() }, duration((now - t) / 1000) + ' ago');
}

function stateClass(status) {
  if (status === 'OK' || status === 'ok') return 'ok';
  if (status === 'RUNNING') return '';
  if (status === 'PARTIAL' || status === 'INTERRUPTED') return 'warn';
  return 'bad';
}

function post(chatId, messageId) {
  return chatId + '/' + messageId;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function renderHealth(health, now) {
  const badge = $('health');
  if (!health) {
    badge.textContent = 'no answer';
    badge.className = 'badge bad';
    return;
  }
  const healthy = health.status === 'ok';
  badge.textContent = healthy ? 'healthy' : 'unhealthy';
  badge.className = 'badge ' + (healthy ? 'ok' : 'bad');

  const intake = health.intake || {};
  const facts = [];
  const fact = (name, value, cls) => facts.push(el('dt', {}, name), el('dd', { class: cls }, value));
  if (intake.mode === 'webhook') {
    // Telegram may rightly send nothing for hours: what matters is what it says of its deliveries
    const hook = intake.webhook || {};
    fact('updates', intake.ok ? 'by webhook' : 'by webhook: ' + (hook.problem || 'not delivered'), intake.ok ? 'ok' : 'bad');
    fact('last delivery', ago(intake.last_delivery, now));
    fact('deliveries since start', count(intake.deliveries));
    if (hook.url !== undefined) fact('registered at Telegram', hook.ours ? 'yes' : (hook.url || 'no webhook') + ' (not ours)', hook.ours ? '' : 'bad');
    if (hook.pending_update_count !== undefined) fact('waiting at Telegram', count(hook.pending_update_count));
    if (hook.last_error_message) {
      fact('Telegram\'s last delivery error', el('span', {}, hook.last_error_message, ' (', ago(hook.last_error_date, now), ')'), 'warn');
    }
  } else {
    fact('updates', intake.ok ? 'arriving' : 'silent for ' + duration(intake.seconds_since || 0),
      intake.ok ? 'ok' : 'bad');
    fact('last answer from Telegram', ago(intake.last_poll, now));
  }
  if (intake.last_error) {
    fact('last error', el('span', {}, intake.last_error, ' (', ago(intake.last_error_at, now), ')'), 'warn');
  }
  fact('catalog', health.catalog === 'ok' ? 'answers' : String(health.catalog), health.catalog === 'ok' ? 'ok' : 'bad');
  $('intake').replaceChildren(...facts);
}

function renderChannels(channels) {
  const cards = channels.map((c) => {
    const m = c.media || {};
    const total = (m.stored || 0) + (m.pending || 0) + (m.too_big || 0) + (m.failed || 0);
    const bar = el('div', { class: 'bar', role: 'img',
      'aria-label': count(m.stored) + ' of ' + count(total) + ' media stored' });
    for (const s of ['stored', 'pending', 'too_big', 'failed']) {
      if (m[s] > 0) bar.append(el('span', { class: s }));
    }
    // widths through the CSSOM: the page's policy allows no inline style attributes
    [...bar.children].forEach((span) => { span.style.width = (100 * m[span.className] / total) + '%'; });
    const admin = c.bot_status === 'administrator' || c.bot_status === 'creator';
    const figure = (value, label, cls) => el('div', { class: 'figure ' + (cls || '') }, el('b', {}, value), el('span', {}, label));
    return el('article', { class: 'card', 'data-chat-id': c.chat_id },
      el('h3', {}, c.title || String(c.chat_id)),
      el('div', { class: 'muted' }, String(c.chat_id),
        c.bot_status ? el('span', { class: admin ? '' : 'bad' }, ' · bot: ' + c.bot_status) : null),
      el('div', { class: 'figures' },
        figure(count(c.posts), 'posts'),
        figure(count(m.stored), 'stored', 'ok'),
        figure(count(m.pending), 'pending'),
        figure(count((m.failed || 0) + (m.too_big || 0)), 'not stored', (m.failed || m.too_big) ? 'bad' : '')),
      total > 0 ? bar : null,
      el('div', { class: 'muted' }, bytes(c.bytes_stored) + ' stored · ' + count(c.versions) + ' post versions'));
  });
  $('channels').replaceChildren(...(cards.length ? cards
    : [el('p', { class: 'muted' }, 'No channel yet: posts appear here once the bot, an administrator of the channel, receives them.')]));
}

function renderTransfers(transfers) {
  $('transfers-section').hidden = transfers.length === 0;
  fill($('transfers').tBodies[0], transfers.map((t) => {
    const left = t.bytes_per_second > 0 ? duration((t.total_bytes - t.bytes_done) / t.bytes_per_second) : '';
    const pct = t.total_bytes > 0 ? Math.floor(100 * t.bytes_done / t.total_bytes) : 0;
    return el('tr', {},
      el('td', {}, post(t.chat_id, t.message_id)),
      el('td', {}, t.kind),
      el('td', {}, el('progress', { max: String(t.total_bytes || 1), value: String(t.bytes_done) }), ' ' + pct + '%'),
      el('td', {}, bytes(t.bytes_done) + ' of ' + bytes(t.total_bytes)),
      el('td', {}, bytes(t.bytes_per_second) + '/s'),
      el('td', {}, left));
  }));
}

function renderRuns(runs, now) {
  const rows = Object.entries(runs || {}).map(([job, r]) => el('tr', { 'data-job': job },
    el('td', {}, job),
    el('td', {}, ago(r.started_at, now)),
    el('td', { class: stateClass(r.status) }, r.status),
    el('td', {}, count(r.stored)),
    el('td', { class: r.failed > 0 ? 'bad' : '' }, count(r.failed)),
    el('td', {}, bytes(r.bytes)),
    el('td', {}, r.message || '')));
  fill($('runs').tBodies[0], rows.length ? rows
    : [el('tr', {}, el('td', { colspan: '7', class: 'muted' }, 'No run yet.'))]);
}

function renderPosts(posts, channels, now) {
  const titles = new Map(channels.map((c) => [c.chat_id, c.title || String(c.chat_id)]));
  const rows = posts.map((p) => {
    const stored = p.media === 0 ? el('span', { class: 'muted' }, 'no media')
      : el('span', { class: p.media_stored === p.media ? 'ok' : '' }, p.media_stored + ' of ' + p.media);
    const says = p.excerpt || (p.kinds.length ? '(' + p.kinds.join(', ') + ')' : '');
    return el('tr', { 'data-post': p.chat_id + '/' + p.message_id },
      el('td', {}, ago(new Date(p.date * 1000).toISOString(), now)),
      el('td', {}, titles.get(p.chat_id) || String(p.chat_id)),
      el('td', {}, String(p.message_id), p.edit_date ? el('span', { class: 'muted' }, ' (edited)') : null,
        p.media_group_id ? el('span', { class: 'muted' }, ' (album)') : null,
        p.source === 'backfill' ? el('span', { class: 'muted', title: 'fetched by backfill from a forward' }, ' (backfill)') : null),
      el('td', { class: 'says' }, says),
      el('td', {}, stored),
      el('td', {}, p.manifest_key ? el('span', { class: 'ok', title: p.manifest_key }, 'written')
        : el('span', { class: 'muted' }, 'next run')));
  });
  fill($('posts').tBodies[0], rows.length ? rows
    : [el('tr', {}, el('td', { colspan: '6', class: 'muted' }, 'No post yet.'))]);
}

function renderProblems(status) {
  const problems = status.problems || [];
  const moving = new Set((status.transfers || []).map((t) => t.file_unique_id));
  $('problems-section').hidden = problems.length === 0;
  fill($('problems').tBodies[0], problems.map((p) => el('tr', {},
    el('td', {}, post(p.chat_id, p.message_id)),
    el('td', {}, p.kind),
    el('td', { class: p.state === 'pending' ? '' : 'bad' }, p.state.replace('_', ' ')),
    el('td', {}, moving.has(p.file_unique_id) ? 'transferring now' : p.reason || 'waiting for the next run'))));
  const total = status.problems_total || problems.length;
  const more = $('problems-more');
  more.hidden = total <= problems.length;
  more.textContent = 'The first ' + count(problems.length) + ' of ' + count(total)
    + ' are listed; "channel-mirror status" lists them all.';
}

function renderWarnings(status) {
  const items = (status.warnings || []).map((w) => el('li', {}, w.message));
  if (status.rejected_updates > 0) {
    items.push(el('li', {}, count(status.rejected_updates) + ' update(s) were not understood and are kept verbatim in the catalog.'));
  }
  $('warnings-section').hidden = items.length === 0;
  $('warnings').replaceChildren(...items);
}

function render(data) {
  const now = Date.now();
  renderHealth(data.health, now);
  renderChannels(data.status.channels || []);
  renderTransfers(data.status.transfers || []);
  renderPosts(data.posts || [], data.status.channels || [], now);
  renderRuns(data.status.last_runs, now);
  renderProblems(data.status);
  renderWarnings(data.status);
  $('updated').textContent = 'updated ' + new Date(data.at).toLocaleTimeString();
}

async function json(path) {
  const r = await fetch(path, { cache: 'no-store', headers: { Accept: 'application/json' } });
  // /health answers 503 with a body when the service is unhealthy: that is data, not a failure
  if (!r.ok && r.status !== 503) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

let timer = null;

async function refresh() {
  clearTimeout(timer);
  try {
    const [status, health, posts] = await Promise.all([json('api/status?problems=' + PROBLEMS_SHOWN), json('health'),
      json('api/posts?limit=' + POSTS_SHOWN)]);
    const data = { status, health, posts, at: Date.now() };
    render(data);
    $('offline').hidden = true;
    try { localStorage.setItem(SAVED, JSON.stringify(data)); } catch (e) { /* storage full or off: fine */ }
  } catch (e) {
    const banner = $('offline');
    banner.hidden = false;
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(SAVED) || 'null'); } catch (ignored) { /* unreadable */ }
    banner.textContent = 'The service does not answer (' + e.message + ').'
      + (saved ? ' Showing what it said at ' + new Date(saved.at).toLocaleString() + '.' : '');
    if (saved && $('channels').childElementCount === 0) render(saved);
    $('health').textContent = 'no answer';
    $('health').className = 'badge bad';
  } finally {
    if (!document.hidden) timer = setTimeout(refresh, REFRESH_MS);
  }
}

document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
refresh();

if ('serviceWorker' in navigator) {
  // data-offline="ready": the worker is active, so its copy of the page is complete
  navigator.serviceWorker.register('sw.js').then(() => navigator.serviceWorker.ready)
    .then(() => { document.documentElement.dataset.offline = 'ready'; })
    .catch(() => { /* plain http off localhost: no offline start, the page still works */ });
}
