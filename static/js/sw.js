/* Telar service worker, served at /sw.js after `const C = {...}` (offline.views.service_worker).
   Caches: content (guest copies: stay on the device), personal (her pages: gone at sign-out,
   when someone else signs in, or after C.idle s unused), static. IndexedDB: q = kept forms. */
'use strict';
const CONTENT = 'telar-content', PERSONAL = 'telar-personal', STATIC = 'telar-static-' + C.v;
const Q = Object.entries(C.q).map(([k, r]) => [k, new RegExp(r)]), OUT = new RegExp(C.out);

let dbp, flushing;
function db() {
  return dbp || (dbp = new Promise((ok, no) => {
    const r = indexedDB.open('telar', 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore('q', {keyPath: 'id', autoIncrement: true});
      r.result.createObjectStore('kv');
    };
    r.onsuccess = () => ok(r.result);
    r.onerror = () => { dbp = null; no(r.error); };
  }));
}
function tx(store, mode, fn) {
  return db().then(d => new Promise((ok, no) => {
    const t = d.transaction(store, mode), r = fn(t.objectStore(store));
    t.oncomplete = () => ok(r && r.result);
    t.onerror = t.onabort = () => no(t.error);
  }));
}
const get = k => tx('kv', 'readonly', s => s.get(k));
const put = (k, v) => tx('kv', 'readwrite', s => s.put(v, k));
const queue = () => tx('q', 'readonly', s => s.getAll());
const lang = p => { const m = /^\/([\w-]+)\//.exec(p); return m && C.off[m[1]] ? m[1] : C.lang; };
const off = p => C.off[lang(p)];

async function store(name, url, who) {
  const r = await fetch(url, {credentials: who ? 'same-origin' : 'omit'});
  if (!r.ok) throw Error(url);
  if (who && await saw(r) === '0') return;
  await (await caches.open(name)).put(url, r);
}

self.addEventListener('install', e => e.waitUntil((async () => {
  await (await caches.open(STATIC)).addAll(C.pre);
  await Promise.all(Object.values(C.off).map(u => store(CONTENT, u)));
  await self.skipWaiting();
})()));

self.addEventListener('activate', e => e.waitUntil((async () => {
  for (const k of await caches.keys()) if (k.startsWith('telar-static-') && k !== STATIC) await caches.delete(k);
  await self.clients.claim();
})()));

// Who is the page for? When that changes, nothing personal of the one before stays.
async function saw(res) {
  const w = res.headers.get('X-Telar-Who');
  if (w !== null && w !== await get('who')) { await caches.delete(PERSONAL); await put('who', w); }
  return w;
}

async function match(url) {
  for (const n of [PERSONAL, CONTENT]) {
    const hit = await (await caches.open(n)).match(url, {ignoreVary: true});
    if (hit) return hit;
  }
}

async function page(e, r, u) {
  const now = Date.now(), seen = await get('seen');
  await put('seen', now);
  if (seen && now - seen > C.idle * 1000) await caches.delete(PERSONAL);
  try { if (await get('out')) await signOut(); } catch (x) { /* still offline */ }
  try {
    const res = await fetch(r), w = await saw(res);
    if (res.ok && res.headers.get('X-Telar-Keep')) {
      await (await caches.open(w === '0' ? CONTENT : PERSONAL)).put(r.url, res.clone());
    }
    e.waitUntil(flush().catch(() => 0));
    return res;
  } catch (err) {
    return (await match(r.url)) || (await caches.match(off(u.pathname), {cacheName: CONTENT})) || Response.error();
  }
}

async function ranged(res, h) {
  const b = await res.blob(), m = /bytes=(\d*)-(\d*)/.exec(h) || [], s = +m[1] || 0;
  const end = m[2] ? Math.min(+m[2] + 1, b.size) : b.size;
  return new Response(b.slice(s, end), {status: 206, headers: {
    'Content-Type': res.headers.get('Content-Type') || '', 'Content-Range': `bytes ${s}-${end - 1}/${b.size}`,
  }});
}

// Our CSS and script (precached), images and audio: from the phone first; media seen are kept.
async function file(r) {
  const hit = await caches.match(r.url, {ignoreVary: true}), range = r.headers.get('range');
  if (hit) return range ? ranged(hit, range) : hit;
  const res = await fetch(r);
  if (res.status === 200) await (await caches.open(CONTENT)).put(r.url, res.clone());
  return res;
}

// A form sent without a connection: keep it, and say so on the offline page.
async function send(r, u, kind) {
  const body = await r.clone().text();
  try {
    const res = await fetch(r);
    flush().catch(() => 0);
    return res;
  } catch (err) {
    await tx('q', 'readwrite', s => s.add({url: u.pathname, body, at: Date.now(), kind}));
    try { await self.registration.sync.register('telar'); } catch (x) { /* no Background Sync: next page load */ }
    await tell();
    let back = '';
    const from = kind === 'lesson' && r.referrer && await match(r.referrer);
    if (from) back = (/<a[^>]*rel="next"[^>]*href="([^"]+)"/.exec(await from.text()) || [])[1] || '';
    return Response.redirect(off(u.pathname) + '?q=1&back=' + encodeURIComponent(back), 303);
  }
}

async function out(r, u) {
  await caches.delete(PERSONAL);
  await put('who', '0');
  try {
    return await fetch(r);
  } catch (err) {
    await put('out', 1);
    return Response.redirect(off(u.pathname) + '?out=1', 303);
  }
}

async function csrf() {
  return (await (await fetch(C.sync, {credentials: 'same-origin'})).json()).csrf;
}

// Signed out while offline: end the session on the server as soon as it can be reached.
async function signOut() {
  const res = await fetch(C.signout, {method: 'POST', credentials: 'same-origin', headers: {'X-CSRFToken': await csrf()}});
  if (res.ok) await put('out', 0);
}

function flush() {
  return flushing || (flushing = drain().finally(() => { flushing = null; }));
}

async function drain() {
  const items = await queue();
  if (!items.length) return;
  const res = await fetch(C.sync, {method: 'POST', credentials: 'same-origin', body: JSON.stringify({items}),
    headers: {'Content-Type': 'application/json', 'X-CSRFToken': await csrf()}});
  if (!res.ok) throw Error(res.status);
  const log = (await get('sent')) || [];
  for (const x of (await res.json()).results) {
    await tx('q', 'readwrite', s => s.delete(x.id));
    log.unshift({m: x.message, s: x.status, u: x.url, at: Date.now(), fresh: 1});
  }
  await put('sent', log.slice(0, 20));
  await tell();
}

async function state(mark) {
  const q = await queue(), sent = (await get('sent')) || [];
  if (mark) await put('sent', sent.map(x => ({...x, fresh: 0})));
  return {t: 'state', n: q.length, q: q.map(x => ({k: x.kind, at: x.at})), sent,
    fresh: sent.filter(x => x.fresh), mods: (await get('mods')) || {}};
}

async function tell() {
  const all = await self.clients.matchAll({type: 'window', includeUncontrolled: true}), s = await state(false);
  for (const c of all) c.postMessage(s);
}

async function keep(m, reply) {
  const c = await caches.open(CONTENT);
  let done = 0;
  try {
    for (const it of m.pages) {
      await store(CONTENT, it.url);
      if (m.personal) await store(PERSONAL, it.url, 1);
      done += it.bytes * (m.personal ? 2 : 1);
      reply({t: 'p', done, total: m.bytes});
    }
    for (const it of m.files) {
      if (!(await c.match(it.url))) await store(CONTENT, it.url);
      done += it.bytes;
      reply({t: 'p', done, total: m.bytes});
    }
    const mods = (await get('mods')) || {};
    mods[m.id] = {id: m.id, title: m.title, url: m.url, bytes: m.bytes, at: Date.now(),
      urls: [...m.pages, ...m.files].map(x => x.url)};
    await put('mods', mods);
    reply({t: 'ok', rec: mods[m.id]});
  } catch (err) {
    reply({t: 'err', full: !!err && err.name === 'QuotaExceededError'});
  }
}

async function drop(id) {
  const mods = (await get('mods')) || {}, rec = mods[id];
  if (!rec) return;
  for (const n of [CONTENT, PERSONAL]) {
    const c = await caches.open(n);
    for (const url of rec.urls) await c.delete(url);
  }
  delete mods[id];
  await put('mods', mods);
}

self.addEventListener('fetch', e => {
  const r = e.request, u = new URL(r.url);
  if (u.origin !== location.origin || u.pathname.startsWith('/admin/') || u.pathname === '/sw.js') return;
  if (r.method === 'POST' && r.mode === 'navigate') {
    const kind = (Q.find(([, re]) => re.test(u.pathname)) || [])[0];
    if (kind) e.respondWith(send(r, u, kind));
    else if (OUT.test(u.pathname)) e.respondWith(out(r, u));
  } else if (r.method === 'GET') {
    if (r.mode === 'navigate') e.respondWith(page(e, r, u));
    else if (C.pre.includes(u.pathname) || u.pathname.startsWith(C.media)) e.respondWith(file(r));
  }
});

self.addEventListener('message', e => {
  const d = e.data || {}, port = e.ports[0], reply = x => port && port.postMessage(x);
  const job = d.t === 'state' ? state(true).then(reply)
    : d.t === 'flush' ? flush().catch(() => 0).then(() => state(true)).then(reply)
    : d.t === 'keep' ? keep(d.m, reply)
    : d.t === 'drop' ? drop(d.id).then(() => state(false)).then(reply) : null;
  if (job) e.waitUntil(job);
});

self.addEventListener('sync', e => { if (e.tag === 'telar') e.waitUntil(flush()); });
