/*
 * Telar's service worker. Served at /sw.js after `const CONFIG = {...};`, which
 * offline.views.service_worker writes from the server's settings and URLs:
 *   version         changes with this file, telar.js, telar.css or the config
 *   precache        our CSS and page script (hashed URLs in production)
 *   offlinePages    the offline page per language: {es: '/offline/', en: '/en/offline/'}
 *   defaultLanguage the language of paths without a prefix
 *   queueable       {kind: pattern} of the forms that may be kept and sent later
 *   signOutPattern  the sign-out URL in any language
 *   signOutUrl      where to end a session that was signed out offline
 *   syncUrl         where kept forms go (GET: a CSRF token; POST: the forms)
 *   mediaPrefix     where lesson images and audio live
 *   idleSeconds     after this long unused, her personal pages are dropped
 *
 * Caches: content (pages as a guest sees them, images, audio: they stay on the
 * phone), personal (her own pages: gone at sign-out, when someone else signs
 * in, or after idleSeconds unused) and static (our CSS and script, per version).
 *
 * IndexedDB "telar" (version 1) keeps what must outlive the worker. Its names
 * are on phones already, so they stay as they are: store "q" holds the kept
 * forms ({id, url, body, at, kind, label}) and store "kv" small values: "who" (whose
 * personal pages are cached), "seen" (last use), "out" (a sign-out still to send),
 * "sent" (the last answers to kept forms, with what each was), "mods" (the modules
 * kept) and "used" (one-time tokens of forms already sent or kept).
 *
 * A quiz page carries one token per attempt she has left, and one more
 * (data-tokens): each time the phone shows a kept copy of it, the form gets the
 * first token no form has used yet, so attempts made offline on one kept page
 * are each recorded, in order; the last one, beyond her attempts, comes back as
 * "kept, not counted". A double tap sends one page's token twice: counted once.
 */
'use strict';

const CONTENT_CACHE = 'telar-content';
const PERSONAL_CACHE = 'telar-personal';
const STATIC_CACHE_PREFIX = 'telar-static-';
const STATIC_CACHE = STATIC_CACHE_PREFIX + CONFIG.version;
const SYNC_TAG = 'telar';
const SENT_LOG_LENGTH = 20;
const USED_TOKENS_KEPT = 200;
const QUEUEABLE = Object.entries(CONFIG.queueable).map(([kind, pattern]) => [kind, new RegExp(pattern)]);
const SIGN_OUT = new RegExp(CONFIG.signOutPattern);

// --- IndexedDB --------------------------------------------------------------

let databasePromise;
let flushing;

function database() {
  return databasePromise || (databasePromise = new Promise((resolve, reject) => {
    const request = indexedDB.open('telar', 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('q', {keyPath: 'id', autoIncrement: true});
      request.result.createObjectStore('kv');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      databasePromise = null;  // try opening again next time
      reject(request.error);
    };
  }));
}

/* Runs `work(store)` in one transaction; resolves with its request's result once committed. */
function transact(storeName, mode, work) {
  return database().then(db => new Promise((resolve, reject) => {
    const transaction = db.transaction(storeName, mode);
    const request = work(transaction.objectStore(storeName));
    transaction.oncomplete = () => resolve(request && request.result);
    transaction.onerror = transaction.onabort = () => reject(transaction.error);
  }));
}

const getValue = key => transact('kv', 'readonly', store => store.get(key));
const setValue = (key, value) => transact('kv', 'readwrite', store => store.put(value, key));
const keptForms = () => transact('q', 'readonly', store => store.getAll());

// --- Languages and caches ----------------------------------------------------

function languageOf(path) {
  const prefix = /^\/([\w-]+)\//.exec(path);
  return prefix && CONFIG.offlinePages[prefix[1]] ? prefix[1] : CONFIG.defaultLanguage;
}

const offlinePageFor = path => CONFIG.offlinePages[languageOf(path)];

/* Fetch `url` and keep it in cache `cacheName`; `personal` sends her cookies (and keeps nothing for a guest). */
async function fetchAndKeep(cacheName, url, personal) {
  const response = await fetch(url, {credentials: personal ? 'same-origin' : 'omit'});
  if (!response.ok) throw Error(url);
  if (personal && await noteWhoFor(response) === '0') return;
  await (await caches.open(cacheName)).put(url, response);
}

self.addEventListener('install', event => event.waitUntil((async () => {
  await (await caches.open(STATIC_CACHE)).addAll(CONFIG.precache);
  await Promise.all(Object.values(CONFIG.offlinePages).map(url => fetchAndKeep(CONTENT_CACHE, url)));
  await self.skipWaiting();
})()));

self.addEventListener('activate', event => event.waitUntil((async () => {
  for (const name of await caches.keys()) {
    if (name.startsWith(STATIC_CACHE_PREFIX) && name !== STATIC_CACHE) await caches.delete(name);
  }
  await self.clients.claim();
})()));

/*
 * Whom is the page for? The server says so in X-Telar-Who ("0": a guest). When
 * it changes, nothing personal of the one before stays on the phone.
 */
async function noteWhoFor(response) {
  const who = response.headers.get('X-Telar-Who');
  if (who !== null && who !== await getValue('who')) {
    await caches.delete(PERSONAL_CACHE);
    await setValue('who', who);
  }
  return who;
}

async function cached(url) {
  for (const name of [PERSONAL_CACHE, CONTENT_CACHE]) {
    const hit = await (await caches.open(name)).match(url, {ignoreVary: true});
    if (hit) return hit;
  }
}

// --- Pages -------------------------------------------------------------------

/* A page: from the network (kept for later when the server allows), else the copy on the phone, else the offline page. */
async function navigate(event, request, url) {
  const now = Date.now();
  const lastSeen = await getValue('seen');
  await setValue('seen', now);
  if (lastSeen && now - lastSeen > CONFIG.idleSeconds * 1000) await caches.delete(PERSONAL_CACHE);
  try {
    if (await getValue('out')) await sendPendingSignOut();
  } catch (offline) { /* still offline: try again on the next page */ }
  try {
    const response = await fetch(request);
    const who = await noteWhoFor(response);
    if (response.ok && response.headers.get('X-Telar-Keep')) {
      await (await caches.open(who === '0' ? CONTENT_CACHE : PERSONAL_CACHE)).put(request.url, response.clone());
    }
    event.waitUntil(flush().catch(() => 0));  // online again: send what waits
    return response;
  } catch (offline) {
    const hit = await cached(request.url);
    return (hit && await withUnusedToken(hit))
      || (await caches.match(offlinePageFor(url.pathname), {cacheName: CONTENT_CACHE}))
      || Response.error();
  }
}

// --- One-time tokens of kept pages -------------------------------------------

const tokenOf = body => new URLSearchParams(body).get('token') || '';

async function noteTokenUsed(body) {
  const token = tokenOf(body);
  if (!token) return;
  const used = (await getValue('used')) || [];
  if (!used.includes(token)) await setValue('used', [token, ...used].slice(0, USED_TOKENS_KEPT));
}

/* A kept page with spare tokens (a quiz): its form gets the first token not used yet (else the last one). */
async function withUnusedToken(response) {
  if (!(response.headers.get('Content-Type') || '').startsWith('text/html')) return response;
  const html = await response.clone().text();
  const spare = /\sdata-tokens="([^"]*)"/.exec(html);
  const current = /name="token" value="([^"]*)"/.exec(html);
  if (!spare || !current) return response;
  const used = (await getValue('used')) || [];
  const tokens = [current[1], ...spare[1].split(' ').filter(Boolean)];
  const token = tokens.find(candidate => !used.includes(candidate)) || tokens[tokens.length - 1];
  const body = html.replace(current[0], `name="token" value="${token}"`);
  return new Response(body, {status: response.status, statusText: response.statusText, headers: response.headers});
}

/* Audio players ask for byte ranges; a cached file answers them itself. */
async function rangeOf(response, rangeHeader) {
  const blob = await response.blob();
  const range = /bytes=(\d*)-(\d*)/.exec(rangeHeader) || [];
  const start = Number(range[1]) || 0;
  const end = range[2] ? Math.min(Number(range[2]) + 1, blob.size) : blob.size;
  return new Response(blob.slice(start, end), {
    status: 206,
    headers: {
      'Content-Type': response.headers.get('Content-Type') || '',
      'Content-Range': `bytes ${start}-${end - 1}/${blob.size}`,
    },
  });
}

/* Our CSS and script (precached), images and audio: from the phone first; media seen are kept. */
async function staticFile(request) {
  const hit = await caches.match(request.url, {ignoreVary: true});
  const range = request.headers.get('range');
  if (hit) return range ? rangeOf(hit, range) : hit;
  const response = await fetch(request);
  if (response.status === 200) await (await caches.open(CONTENT_CACHE)).put(request.url, response.clone());
  return response;
}

// --- Forms sent without a connection ----------------------------------------

/* A queueable form: sent now if possible; else kept, and she is shown the offline page saying so. */
async function submit(request, url, kind) {
  const body = await request.clone().text();
  try {
    const response = await fetch(request);
    await noteTokenUsed(body);
    flush().catch(() => 0);
    return response;
  } catch (offline) {
    const page = request.referrer && await cached(request.referrer);
    const pageText = page ? await page.clone().text() : '';
    const label = unescapeHtml((/\sdata-offline-label="([^"]*)"/.exec(pageText) || [])[1] || '');
    await transact('q', 'readwrite', store => store.add({url: url.pathname, body, at: Date.now(), kind, label}));
    await noteTokenUsed(body);
    try {
      await self.registration.sync.register(SYNC_TAG);
    } catch (unsupported) { /* no Background Sync: sent on the next page load */ }
    await broadcastState();
    // After "I finished this lesson", offer the next lesson (read from the kept copy of the lesson).
    let next = '';
    if (kind === 'lesson') next = (/<a[^>]*rel="next"[^>]*href="([^"]+)"/.exec(pageText) || [])[1] || '';
    return Response.redirect(offlinePageFor(url.pathname) + '?q=1&back=' + encodeURIComponent(next), 303);
  }
}

/* An attribute's text as the page meant it (a service worker has no DOMParser). */
function unescapeHtml(text) {
  const named = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"};
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, code) => {
    if (code[0] === '#') return String.fromCodePoint(code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
    return named[code.toLowerCase()] || whole;
  });
}

/* Sign out: her personal pages go at once, online or not. */
async function signOut(request, url) {
  await caches.delete(PERSONAL_CACHE);
  await setValue('who', '0');
  try {
    return await fetch(request);
  } catch (offline) {
    await setValue('out', 1);
    return Response.redirect(offlinePageFor(url.pathname) + '?out=1', 303);
  }
}

async function csrfToken() {
  return (await (await fetch(CONFIG.syncUrl, {credentials: 'same-origin'})).json()).csrf;
}

/* Signed out while offline: end the session on the server as soon as it can be reached. */
async function sendPendingSignOut() {
  const response = await fetch(CONFIG.signOutUrl, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'X-CSRFToken': await csrfToken()},
  });
  if (response.ok) await setValue('out', 0);
}

/* One flush at a time, however many pages ask for it. */
function flush() {
  return flushing || (flushing = sendKeptForms().finally(() => { flushing = null; }));
}

/* The ids of kept forms on their way to the server right now ("sending" on the offline page). */
const sending = new Set();

async function sendKeptForms() {
  const forms = await keptForms();
  if (!forms.length) return;
  forms.forEach(form => sending.add(form.id));
  try {
    await broadcastState();
    const response = await fetch(CONFIG.syncUrl, {
      method: 'POST',
      credentials: 'same-origin',
      body: JSON.stringify({items: forms.map(({id, url, body, at}) => ({id, url, body, at}))}),
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': await csrfToken()},
    });
    if (!response.ok) throw Error(response.status);
    const log = await sentLog();
    const byId = new Map(forms.map(form => [form.id, form]));
    // Every answer, refusals included, goes to the log the offline page shows: nothing leaves the queue unsaid.
    for (const result of (await response.json()).results) {
      const form = byId.get(result.id) || {};
      await transact('q', 'readwrite', store => store.delete(result.id));
      log.unshift({
        message: result.message,
        status: result.status,
        url: result.url,
        kind: form.kind,
        label: form.label,
        made: form.at,
        at: Date.now(),
        fresh: 1,
      });
    }
    await setValue('sent', log.slice(0, SENT_LOG_LENGTH));
  } finally {
    forms.forEach(form => sending.delete(form.id));
    await broadcastState();
  }
}

/* The answers to kept forms, newest first ("fresh": not shown on a page yet). Older phones kept {m, s, u}. */
async function sentLog() {
  const log = (await getValue('sent')) || [];
  return log.map(entry => ('m' in entry ? {message: entry.m, status: entry.s, url: entry.u, at: entry.at, fresh: entry.fresh} : entry));
}

// --- What the pages are told -------------------------------------------------

/* What waits, what was sent and which modules are kept. `markSeen`: the fresh answers are being shown now. */
async function currentState(markSeen) {
  const waiting = await keptForms();
  const sent = await sentLog();
  if (markSeen) await setValue('sent', sent.map(entry => ({...entry, fresh: 0})));
  return {
    type: 'state',
    waiting: waiting.map(form => ({kind: form.kind, label: form.label, at: form.at, state: sending.has(form.id) ? 'sending' : 'waiting'})),
    sent,
    fresh: sent.filter(entry => entry.fresh),
    modules: (await getValue('mods')) || {},
  };
}

async function broadcastState() {
  const pages = await self.clients.matchAll({type: 'window', includeUncontrolled: true});
  const state = await currentState(false);
  for (const page of pages) page.postMessage(state);
}

// --- Modules kept for offline ------------------------------------------------

/* Keep a module's pages (as a guest, and as her when signed in) and files; `reply` reports progress. */
async function keepModule(plan, reply) {
  const content = await caches.open(CONTENT_CACHE);
  let done = 0;
  try {
    for (const page of plan.pages) {
      await fetchAndKeep(CONTENT_CACHE, page.url);
      if (plan.personal) await fetchAndKeep(PERSONAL_CACHE, page.url, true);
      done += page.bytes * (plan.personal ? 2 : 1);
      reply({type: 'progress', done, total: plan.bytes});
    }
    for (const file of plan.files) {
      if (!(await content.match(file.url))) await fetchAndKeep(CONTENT_CACHE, file.url);
      done += file.bytes;
      reply({type: 'progress', done, total: plan.bytes});
    }
    const modules = (await getValue('mods')) || {};
    modules[plan.id] = {
      id: plan.id,
      title: plan.title,
      url: plan.url,
      bytes: plan.bytes,
      version: plan.version,
      at: Date.now(),
      urls: [...plan.pages, ...plan.files].map(item => item.url),
    };
    await setValue('mods', modules);
    reply({type: 'kept', module: modules[plan.id]});
  } catch (error) {
    reply({type: 'failed', full: !!error && error.name === 'QuotaExceededError'});
  }
}

async function dropModule(id) {
  const modules = (await getValue('mods')) || {};
  const kept = modules[id];
  if (!kept) return;
  for (const name of [CONTENT_CACHE, PERSONAL_CACHE]) {
    const cache = await caches.open(name);
    for (const url of kept.urls) await cache.delete(url);
  }
  delete modules[id];
  await setValue('mods', modules);
}

// --- Events -------------------------------------------------------------------

self.addEventListener('fetch', event => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin || url.pathname.startsWith('/admin/') || url.pathname === '/sw.js') return;
  if (request.method === 'POST' && request.mode === 'navigate') {
    const kind = (QUEUEABLE.find(([, pattern]) => pattern.test(url.pathname)) || [])[0];
    if (kind) event.respondWith(submit(request, url, kind));
    else if (SIGN_OUT.test(url.pathname)) event.respondWith(signOut(request, url));
  } else if (request.method === 'GET') {
    if (request.mode === 'navigate') event.respondWith(navigate(event, request, url));
    else if (CONFIG.precache.includes(url.pathname) || url.pathname.startsWith(CONFIG.mediaPrefix)) {
      event.respondWith(staticFile(request));
    }
  }
});

/* Questions from the page script (static/js/telar.js), answered on the port it sent. */
self.addEventListener('message', event => {
  const message = event.data || {};
  const port = event.ports[0];
  const reply = answer => port && port.postMessage(answer);
  let job = null;
  if (message.type === 'state') job = currentState(true).then(reply);
  else if (message.type === 'flush') job = flush().catch(() => 0).then(() => currentState(true)).then(reply);
  else if (message.type === 'keep') job = keepModule(message.plan, reply);
  else if (message.type === 'drop') job = dropModule(message.id).then(() => currentState(false)).then(reply);
  if (job) event.waitUntil(job);
});

self.addEventListener('sync', event => {
  if (event.tag === SYNC_TAG) event.waitUntil(flush());
});
