/* Telar: registers /sw.js, says what waits on this phone, runs "Keep for offline" and the
   offline page. Enhancement only. Words come from data- attributes (Django's catalogues). */
(() => {
  const me = document.currentScript, sw = navigator.serviceWorker, doc = document;
  if (!me || !sw || !window.caches) return;
  const d = me.dataset, $ = s => doc.querySelector(s);
  const ready = sw.register('/sw.js').then(() => sw.ready);
  const ask = (m, each) => ready.then(r => new Promise(ok => {
    const ch = new MessageChannel();
    ch.port1.onmessage = e => (e.data.t === 'p' && each ? each(e.data) : ok(e.data));
    r.active.postMessage(m, [ch.port2]);
  }));
  const num = n => new Intl.NumberFormat(doc.documentElement.lang, {maximumFractionDigits: 1}).format(n);
  const size = n => n >= 1048576 ? num(n / 1048576) + ' MB' : num(Math.max(1, Math.round(n / 1024))) + ' KB';
  const fmt = (s, ...a) => a.reduce((t, x) => t.replace('%s', x), s);
  const el = (tag, text, cls) => { const x = doc.createElement(tag); x.textContent = text; if (cls) x.className = cls; return x; };
  const when = t => new Date(t).toLocaleString(doc.documentElement.lang, {dateStyle: 'short', timeStyle: 'short'});
  const line = x => {
    const li = el('li', x.m + ' ');
    if (x.u) { const a = el('a', d.link); a.href = x.u; li.append(a); }
    return li;
  };

  let bar, fresh = [];
  function show(st) {
    fresh = fresh.concat(st.fresh.filter(x => !fresh.some(y => y.at === x.at && y.m === x.m)));
    if (!bar) {
      bar = el('div', '', 'msg');
      bar.setAttribute('role', 'status');
      bar.id = 'tl-status';
      ($('main') || doc.body).prepend(bar);
    }
    const lines = [];
    if (!navigator.onLine) lines.push(el('p', d.off));
    if (st.n) lines.push(el('p', st.n === 1 ? d.one : d.many.replace(/\d+/, st.n)));
    else if (fresh.length) {
      lines.push(el('p', d.sent));
      const ul = el('ul', '');
      fresh.forEach(x => ul.append(line(x)));
      lines.push(ul);
    }
    bar.className = st.n || !navigator.onLine ? 'msg warn' : 'msg';
    bar.replaceChildren(...lines);
    bar.hidden = !lines.length;
    page(st);
    keep(st);
  }

  // The offline page: what this phone keeps, what waits, what was sent.
  const box = $('#tl-off');
  if (box) {
    const q = new URLSearchParams(location.search), back = q.get('back') || '';
    const reveal = (k, on) => { box.querySelector(`[data-show="${k}"]`).hidden = !on; };
    ready.then(() => reveal('nojs', false));
    reveal('missing', location.pathname !== box.dataset.url);
    reveal('queued', q.has('q'));
    reveal('out', q.has('out'));
    reveal('back', q.has('q'));
    if (/^\/(?![/\\])/.test(back)) box.querySelector('[data-show="back"] a').href = back;
  }
  function page(st) {
    if (!box) return;
    const o = box.dataset, fill = (k, items) => {
      box.querySelector(`[data-list="${k}"]`).replaceChildren(...items);
      const empty = box.querySelector(`[data-empty="${k}"]`);
      if (empty) empty.hidden = items.length > 0;
    };
    fill('queue', st.q.map(x => el('li', `${o[x.k] || x.k} · ${when(x.at)}`)));
    fill('sent', st.sent.map(line));
    fill('mods', Object.values(st.mods).map(m => {
      const li = el('li', ''), a = el('a', '');
      a.href = m.url;
      a.append(el('strong', m.title), el('span', `${size(m.bytes)} · ${when(m.at)}`, 'meta'));
      li.append(a);
      return li;
    }));
    if (navigator.storage && navigator.storage.estimate) {
      navigator.storage.estimate().then(e => {
        const x = box.querySelector('[data-show="space"]');
        x.textContent = fmt(o.space, size(e.usage || 0));
        x.hidden = false;
      });
    }
  }

  // "Keep for offline" on a module page: the size first, then the download, then what is kept.
  const kb = $('#tl-keep'), info = kb && kb.querySelector('p'), first = info && info.textContent;
  let plan;
  function keep(st) {
    if (!kb || plan) return;
    const k = kb.dataset, btn = a => kb.querySelector(`[data-act="${a}"]`), rec = st.mods[k.id];
    kb.hidden = false;
    btn('drop').hidden = !rec;
    info.textContent = rec ? fmt(k.saved, size(rec.bytes)) : first;
    btn('ask').onclick = () => fetch(k.src, {credentials: 'same-origin'}).then(r => r.json()).then(m => {
      plan = m;
      info.textContent = fmt(k.size, size(m.bytes));
      btn('ask').hidden = true;
      btn('keep').hidden = false;
    }).catch(() => { info.textContent = k.fail; });
    btn('keep').onclick = () => {
      btn('keep').hidden = true;
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
      ask({t: 'keep', m: plan}, p => { info.textContent = fmt(k.saving, size(p.done), size(p.total)); }).then(r => {
        info.textContent = r.t === 'ok' ? fmt(k.saved, size(r.rec.bytes)) : r.full ? k.full : k.fail;
        plan = null;
        btn('ask').hidden = false;
        btn('drop').hidden = r.t !== 'ok';
      });
    };
    btn('drop').onclick = () => ask({t: 'drop', id: k.id}).then(show);
  }

  sw.addEventListener('message', e => {
    if (e.data && e.data.t === 'state') { show(e.data); if (e.data.fresh.length) ask({t: 'state'}); }
  });
  let wait = 5000;  // still waiting while online (a flaky link): try again, less and less often
  const update = () => ask({t: navigator.onLine ? 'flush' : 'state'}).then(st => {
    show(st);
    if (st.n && navigator.onLine) setTimeout(update, wait *= 2);
  }, () => 0);
  addEventListener('online', update);
  addEventListener('offline', update);
  update();
})();
