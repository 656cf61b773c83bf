/* global document, window, EventSource, CSS */
// The gateway's page: one module, no framework, no build step. It reads the JSON API once (and
// again after every reconnection of the live stream) and follows /api/events. Everything the
// network says is put on the page as text (textContent), never parsed as HTML.

const MAX_MESSAGES = 200;
const MAX_REFUSALS = 50;
const TOKEN_KEY = 'mg-web-token';

const $ = (id) => document.getElementById(id);

/** An element with attributes (`class`, `data-*`, properties for the rest) and text or element children. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class' || key.startsWith('data-') || key.startsWith('aria-') || key === 'role') node.setAttribute(key, String(value));
    else node[key] = value;
  }
  node.append(...children.filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

const page = {
  uptime: { seconds: 0, at: 0 },
  tokenRequired: false,
  /** The last state event per `device/capability`, with when it came, to win over an older snapshot. */
  latest: new Map(),
};

// ---- the API ----

function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { 'X-MG-Token': token } : {};
}

async function getJson(path) {
  const res = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

/** POSTs a write; resolves with the gateway's answer, or an answer made from the HTTP status. */
async function postWrite(device, capability, body) {
  const res = await fetch(`/api/devices/${encodeURIComponent(device)}/${encodeURIComponent(capability)}`, {
    method: 'POST',
    // X-MG-Write: a cross-site form cannot send it, so the gateway knows the write comes from a script of its own origin.
    headers: { 'Content-Type': 'application/json', 'X-MG-Write': '1', ...authHeaders() },
    body: JSON.stringify(body),
  });
  try {
    return await res.json();
  } catch {
    return { ok: false, reason: `http-${res.status}`, detail: res.statusText || 'no answer from the gateway' };
  }
}

// ---- formatting ----

const time = (at) => new Date(at ?? Date.now()).toLocaleTimeString([], { hour12: false });

function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const parts = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first < 0 ? 3 : first)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

function formatValue(cap, value) {
  if (value === undefined || value === null) return cap.access === 'write' ? 'write-only' : '–';
  if (cap.kind === 'binary') return value === true || value === 'on' || value === 1 || value === 'true' ? 'on' : 'off';
  return cap.unit ? `${value} ${cap.unit}` : String(value);
}

// ---- the gateway ----

function showGateway(g) {
  $('gw-name').textContent = g.name;
  document.title = `${g.name} · @mg`;
  $('gw-version').textContent = `v${g.version}`;
  const availability = $('gw-availability');
  availability.textContent = g.availability;
  availability.dataset.state = g.availability;
  showConnection(g.connected, g.broker);
  $('gw-state').textContent = g.interfaceStarted || g.state !== 'running' ? g.state : `${g.state} (interface starting)`;
  page.uptime = { seconds: g.uptime, at: Date.now() };
  showUptime();
  page.tokenRequired = g.tokenRequired;
  $('token-box').hidden = !g.tokenRequired;
}

function showConnection(connected, broker) {
  $('gw-broker').textContent = broker || '–';
  const connection = $('gw-connection');
  connection.textContent = connected ? 'connected' : 'disconnected';
  connection.dataset.state = connected ? 'up' : 'down';
}

function showUptime() {
  if (!page.uptime.at) return;
  $('gw-uptime').textContent = duration(page.uptime.seconds + (Date.now() - page.uptime.at) / 1000);
}

// ---- counters ----

const COUNTERS = {
  received: 'Received',
  delivered: 'Delivered to the interface',
  published: 'Published',
  extensionPublished: 'Published by extensions',
  refused: 'Refused',
  dropped: 'Dropped (outbox full)',
  incomingDropped: 'Dropped (incoming full)',
  incomingPauses: 'Reading pauses',
  connections: 'Connections',
  disconnections: 'Disconnections',
  interfaceErrors: 'Interface errors',
  extensionErrors: 'Extension errors',
  devicesOffline: 'Devices offline',
};

function showCounters(counters) {
  const refusedByReason = Object.entries(counters.rejected ?? {}).filter(([, n]) => n > 0);
  const values = { ...counters, refused: refusedByReason.reduce((sum, [, n]) => sum + n, 0) };
  const rows = Object.entries(COUNTERS)
    .filter(([key]) => typeof values[key] === 'number')
    .map(([key, label]) => el('div', { 'data-counter': key }, el('dt', {}, label), el('dd', {}, String(values[key]))));
  for (const [reason, n] of refusedByReason)
    rows.push(el('div', { 'data-counter': `refused-${reason}` }, el('dt', {}, `Refused: ${reason}`), el('dd', {}, String(n))));
  $('counters').replaceChildren(...rows);
}

// ---- devices ----

const capKey = (device, capability) => `${device}/${capability}`;
const capElement = (device, capability) => document.querySelector(`[data-device="${CSS.escape(device)}"] [data-capability="${CSS.escape(capability)}"]`);

function showDevices(list, since) {
  const note = $('devices-note');
  note.hidden = list.declared && list.devices.length > 0;
  note.textContent = list.declared ? 'The interface has no devices now.' : 'This interface declares no devices: the message log shows what it does.';
  $('devices').replaceChildren(...list.devices.map((d) => deviceCard(d, since)));
}

function deviceCard(device, since) {
  const badge = el('span', { class: 'badge', 'data-state': device.available ? 'online' : 'offline' }, device.available ? 'available' : 'unavailable');
  return el(
    'article',
    { class: 'device', 'data-device': device.id },
    el('h3', {}, device.name, ' ', el('span', { class: 'muted' }, device.id), ' ', badge),
    el('div', { class: 'caps' }, ...device.capabilities.map((c) => capabilityRow(device.id, c, since))),
  );
}

function capabilityRow(deviceId, cap, since) {
  const newer = page.latest.get(capKey(deviceId, cap.id));
  const value = newer && newer.received >= since ? newer.value : cap.value;
  const range = cap.kind === 'number' ? [cap.min, cap.max].some((n) => n !== undefined) && ` ${cap.min ?? '…'} to ${cap.max ?? '…'}` : '';
  const meta = `${cap.kind}${cap.options ? ` (${cap.options.join(', ')})` : ''}${range || ''}${cap.unit ? ` ${cap.unit}` : ''} · ${cap.access}`;
  const row = el(
    'div',
    { class: 'cap', 'data-capability': cap.id, 'data-kind': cap.kind },
    el('div', { class: 'cap-name' }, cap.name, el('small', { class: 'muted' }, meta)),
    el('output', { class: cap.access === 'write' ? 'cap-value muted' : 'cap-value', 'aria-label': `${cap.name} value` }, formatValue(cap, value)),
  );
  row.capability = cap;
  // Shown even while the gateway cannot write (starting, stopping): its answer then says why.
  if (cap.access !== 'read') row.append(writeForm(deviceId, cap));
  return row;
}

function showState(event) {
  page.latest.set(capKey(event.device, event.capability), { value: event.value, received: Date.now() });
  const row = capElement(event.device, event.capability);
  if (!row) return;
  const output = row.querySelector('.cap-value');
  output.textContent = formatValue(row.capability, event.value);
  output.dataset.at = String(event.at);
  // Restart the highlight: a change is seen even when the value is the same.
  output.classList.remove('changed');
  void output.offsetWidth;
  output.classList.add('changed');
}

function showAvailability(event) {
  const badge = document.querySelector(`[data-device="${CSS.escape(event.device)}"] h3 .badge`);
  if (!badge) return;
  badge.dataset.state = event.available ? 'online' : 'offline';
  badge.textContent = event.available ? 'available' : `unavailable${event.reason ? `: ${event.reason}` : ''}`;
}

// ---- writes ----

/** The control for one capability: what its kind takes, and a line for the gateway's answer. */
function writeForm(deviceId, cap) {
  const result = el('p', { class: 'cap-result', role: 'status', 'aria-live': 'polite' });
  const label = `${cap.name} new value`;
  // noValidate: the gateway checks (the same path as Home Assistant and Homie writes) and says why it refuses.
  const form = el('form', { class: 'cap-write', noValidate: true });
  let read = () => undefined;
  if (cap.kind === 'binary') {
    form.append(el('button', { type: 'submit', value: 'on' }, 'On'), el('button', { type: 'submit', value: 'off' }, 'Off'));
    // Anything but on/off goes as it is: the gateway is the one that checks, and says why it refuses.
    read = (submitter) => ({ value: submitter?.value === 'on' ? true : submitter?.value === 'off' ? false : submitter?.value });
  } else if (cap.kind === 'enum') {
    const select = el('select', { 'aria-label': label }, ...cap.options.map((o) => el('option', { value: o }, o)));
    form.append(select, el('button', { type: 'submit' }, 'Set'));
    read = () => ({ value: select.value });
  } else if (cap.kind === 'number') {
    // iOS's decimal keypad has no minus key: only for numbers that cannot be negative.
    const input = el('input', { type: 'number', 'aria-label': label, required: true });
    if (cap.min !== undefined && cap.min >= 0) input.inputMode = 'decimal';
    for (const key of ['min', 'max', 'step']) if (cap[key] !== undefined) input.setAttribute(key, String(cap[key]));
    if (cap.step === undefined) input.setAttribute('step', 'any');
    form.append(input, el('button', { type: 'submit' }, 'Set'));
    read = () => (input.value.trim() === '' || !Number.isFinite(Number(input.value)) ? null : { value: Number(input.value) });
  } else if (cap.kind === 'text') {
    const input = el('input', { type: 'text', 'aria-label': label });
    form.append(input, el('button', { type: 'submit' }, 'Set'));
    read = () => ({ value: input.value });
  } else {
    form.append(el('button', { type: 'submit' }, 'Run'));
    read = () => ({});
  }
  // SubmitEvent.submitter is missing before iOS 15.4: the button last clicked stands in for it.
  let clicked;
  form.addEventListener('click', (event) => {
    if (event.target?.tagName === 'BUTTON') clicked = event.target;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = read(event.submitter ?? clicked);
    if (!body) return answer(result, 'refused', 'enter a number');
    answer(result, 'pending', 'sending…');
    postWrite(deviceId, cap.id, body).then(
      (out) => (out.ok ? answer(result, 'ok', 'sent to the interface') : answer(result, 'refused', `refused (${out.reason}): ${out.detail}`)),
      (err) => answer(result, 'error', `not sent: ${err.message}`),
    );
  });
  return el('div', { class: 'cap-form' }, form, result);
}

function answer(result, state, text) {
  result.dataset.state = state;
  result.textContent = text;
}

// ---- the logs ----

function prependCapped(list, item, max) {
  list.prepend(item);
  while (list.childElementCount > max) list.lastElementChild.remove();
}

function addMessage(m) {
  const item = el(
    'li',
    { class: 'message', 'data-dir': m.dir, 'data-at': m.at },
    el('time', {}, time(m.at)),
    el('span', { class: 'dir', title: m.dir === 'in' ? 'received from the broker' : 'published' }, m.dir === 'in' ? 'in' : 'out'),
    // A write from a controller (this page, Home Assistant...) reaches the interface without a topic.
    el('code', { class: 'topic' }, m.topic || '(written by a controller)'),
    m.payload !== undefined && el('code', { class: 'payload' }, typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload)),
    el('span', { class: 'text muted' }, m.text),
  );
  item.search = `${m.topic} ${m.payload ?? ''} ${m.text}`.toLowerCase();
  filterOne(item);
  prependCapped($('messages'), item, MAX_MESSAGES);
}

function filterOne(item) {
  const words = $('filter').value.trim().toLowerCase();
  const dir = $('direction').value;
  item.hidden = (dir !== '' && item.dataset.dir !== dir) || (words !== '' && !item.search.includes(words));
}

function addRefusal(r) {
  $('refusals-empty').hidden = true;
  const item = el(
    'li',
    { class: 'refusal', 'data-reason': r.reason },
    el('time', {}, time(r.at)),
    el('span', { class: 'dir' }, r.direction),
    el('strong', {}, r.reason),
    el('span', {}, r.detail),
    r.topic && el('code', { class: 'topic' }, r.topic),
  );
  prependCapped($('refusals'), item, MAX_REFUSALS);
}

// ---- wiring ----

async function refresh() {
  const since = Date.now();
  const [gateway, devices, counters] = await Promise.all([getJson('/api/gateway'), getJson('/api/devices'), getJson('/api/counters')]);
  showGateway(gateway);
  showDevices(devices, since);
  showCounters(counters);
}

function setLive(state, text) {
  const live = $('live');
  live.dataset.state = state;
  live.textContent = text;
}

const parse = (handler) => (event) => handler(JSON.parse(event.data));

function follow() {
  const events = new EventSource('/api/events');
  // Every (re)connection reads the snapshot again: what happened while away is in it.
  events.addEventListener('open', () => {
    setLive('up', 'live');
    refresh().catch((err) => setLive('down', err.message));
  });
  events.addEventListener('error', () => {
    if (events.readyState !== EventSource.CLOSED) return setLive('down', 'reconnecting…');
    // Closed for good (an HTTP error): start again later rather than give up.
    setLive('down', 'disconnected; retrying');
    window.setTimeout(follow, 5000);
  });
  events.addEventListener('message', parse(addMessage));
  events.addEventListener('state', parse(showState));
  events.addEventListener('availability', parse(showAvailability));
  events.addEventListener('counters', parse(showCounters));
  events.addEventListener('refused', parse(addRefusal));
  events.addEventListener(
    'connection',
    parse((c) => {
      showConnection(c.connected, c.broker);
      // The gateway's availability follows its connection: read it as the gateway says it.
      getJson('/api/gateway').then(showGateway, () => undefined);
    }),
  );
}

function start() {
  const refilter = () => [...$('messages').children].forEach(filterOne);
  $('filter').addEventListener('input', refilter);
  $('direction').addEventListener('change', refilter);
  $('clear').addEventListener('click', () => $('messages').replaceChildren());
  $('token').value = sessionStorage.getItem(TOKEN_KEY) ?? '';
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  });
  window.setInterval(showUptime, 1000);
  follow();
}

start();
