/*
 * Telar's page script: registers /sw.js, says what waits on this phone, runs
 * "Keep for offline" on module pages and fills in the offline page. It only
 * enhances pages that work without it. Its words come from data- attributes
 * on its own <script> tag and on the page, so they live in Django's catalogues.
 */
(() => {
  // "Everyone present" in the page: marks only the lines without a status; nothing is sent, no mark is lost.
  document.querySelectorAll('[data-all-present]').forEach(allPresent => {
    allPresent.addEventListener('click', event => {
      event.preventDefault();
      allPresent.form.querySelectorAll('fieldset').forEach(line => {
        const present = line.querySelector('input[type=radio][value=present]');
        if (present && !line.querySelector('input[type=radio]:checked')) present.checked = true;
      });
    });
  });

  const script = document.currentScript;
  const worker = navigator.serviceWorker;
  if (!script || !worker || !window.caches) return;
  const words = script.dataset;
  const language = document.documentElement.lang;
  const ready = worker.register('/sw.js').then(() => worker.ready);

  /* Ask the service worker something; progress messages go to `onProgress`, the answer resolves the promise. */
  const ask = (message, onProgress) => ready.then(registration => new Promise(resolve => {
    const channel = new MessageChannel();
    channel.port1.onmessage = event => (
      event.data.type === 'progress' && onProgress ? onProgress(event.data) : resolve(event.data)
    );
    registration.active.postMessage(message, [channel.port2]);
  }));

  const formatNumber = number => new Intl.NumberFormat(language, {maximumFractionDigits: 1}).format(number);
  const formatSize = bytes => (bytes >= 1048576
    ? formatNumber(bytes / 1048576) + ' MB'
    : formatNumber(Math.max(1, Math.round(bytes / 1024))) + ' KB');
  const formatDate = time => new Date(time).toLocaleString(language, {dateStyle: 'short', timeStyle: 'short'});
  /* The catalogues' "%s" placeholders, filled in order. */
  const fill = (text, ...values) => values.reduce((result, value) => result.replace('%s', value), text);
  const element = (tag, text, className) => {
    const created = document.createElement(tag);
    created.textContent = text;
    if (className) created.className = className;
    return created;
  };
  /* One answer to a kept form: the server's message, and a link to her result when there is one. */
  const sentItem = entry => {
    const item = element('li', entry.message + ' ');
    if (entry.url) {
      const link = element('a', words.link);
      link.href = entry.url;
      item.append(link);
    }
    return item;
  };

  // The status line at the top of every page: offline, what waits, what was just sent.
  let statusLine;
  let freshlySent = [];
  function show(state) {
    const isNew = entry => !freshlySent.some(seen => seen.at === entry.at && seen.message === entry.message);
    freshlySent = freshlySent.concat(state.fresh.filter(isNew));
    if (!statusLine) {
      statusLine = element('div', '', 'notice');
      statusLine.setAttribute('role', 'status');
      statusLine.id = 'offline-status';
      (document.querySelector('main') || document.body).prepend(statusLine);
    }
    const waiting = state.waiting.length;
    const lines = [];
    if (!navigator.onLine) lines.push(element('p', words.off));
    if (waiting) {
      lines.push(element('p', waiting === 1 ? words.one : words.many.replace(/\d+/, waiting)));
    } else if (freshlySent.length) {
      lines.push(element('p', words.sent));
      const list = element('ul', '');
      freshlySent.forEach(entry => list.append(sentItem(entry)));
      lines.push(list);
    }
    statusLine.className = waiting || !navigator.onLine ? 'notice notice--warning' : 'notice';
    statusLine.replaceChildren(...lines);
    statusLine.hidden = !lines.length;
    fillOfflinePage(state);
    offerToKeep(state);
  }

  // The offline page: what this phone keeps, what waits, what was sent.
  const offlinePage = document.querySelector('#on-this-phone');
  if (offlinePage) {
    const query = new URLSearchParams(location.search);
    const back = query.get('back') || '';
    const reveal = (name, shown) => {
      offlinePage.querySelector(`[data-show="${name}"]`).hidden = !shown;
    };
    ready.then(() => reveal('nojs', false));
    reveal('missing', location.pathname !== offlinePage.dataset.url);  // shown instead of a page not kept
    reveal('queued', query.has('q'));
    reveal('out', query.has('out'));
    reveal('back', query.has('q'));
    // Only a path on this site (not "//elsewhere"): the worker put the next lesson here.
    if (/^\/(?![/\\])/.test(back)) offlinePage.querySelector('[data-show="back"] a').href = back;
  }

  function fillOfflinePage(state) {
    if (!offlinePage) return;
    const labels = offlinePage.dataset;
    const fillList = (name, items) => {
      offlinePage.querySelector(`[data-list="${name}"]`).replaceChildren(...items);
      const empty = offlinePage.querySelector(`[data-empty="${name}"]`);
      if (empty) empty.hidden = items.length > 0;
    };
    fillList('queue', state.waiting.map(form => element('li', `${labels[form.kind] || form.kind} · ${formatDate(form.at)}`)));
    fillList('sent', state.sent.map(sentItem));
    fillList('modules', Object.values(state.modules).map(kept => {
      const item = element('li', '');
      const link = element('a', '');
      link.href = kept.url;
      link.append(element('strong', kept.title), element('span', `${formatSize(kept.bytes)} · ${formatDate(kept.at)}`, 'meta'));
      item.append(link);
      return item;
    }));
    if (navigator.storage && navigator.storage.estimate) {
      navigator.storage.estimate().then(estimate => {
        const space = offlinePage.querySelector('[data-show="space"]');
        space.textContent = fill(labels.space, formatSize(estimate.usage || 0));
        space.hidden = false;
      });
    }
  }

  // "Keep for offline" on a module page: the size first, then the download, then what is kept.
  const keepSection = document.querySelector('#keep-offline');
  const explanation = keepSection && keepSection.querySelector('p');
  const firstExplanation = explanation && explanation.textContent;
  let plan;  // the module's files and sizes, once asked for and until kept
  function offerToKeep(state) {
    if (!keepSection || plan) return;
    const texts = keepSection.dataset;
    const button = action => keepSection.querySelector(`[data-act="${action}"]`);
    const kept = state.modules[texts.id];
    keepSection.hidden = false;
    button('drop').hidden = !kept;
    explanation.textContent = kept ? fill(texts.saved, formatSize(kept.bytes)) : firstExplanation;
    button('ask').onclick = () => fetch(texts.src, {credentials: 'same-origin'})
      .then(response => response.json())
      .then(modulePlan => {
        plan = modulePlan;
        explanation.textContent = fill(texts.size, formatSize(modulePlan.bytes));
        button('ask').hidden = true;
        button('keep').hidden = false;
      })
      .catch(() => { explanation.textContent = texts.fail; });
    button('keep').onclick = () => {
      button('keep').hidden = true;
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
      const onProgress = progress => {
        explanation.textContent = fill(texts.saving, formatSize(progress.done), formatSize(progress.total));
      };
      ask({type: 'keep', plan}, onProgress).then(answer => {
        if (answer.type === 'kept') explanation.textContent = fill(texts.saved, formatSize(answer.module.bytes));
        else explanation.textContent = answer.full ? texts.full : texts.fail;
        plan = null;
        button('ask').hidden = false;
        button('drop').hidden = answer.type !== 'kept';
      });
    };
    button('drop').onclick = () => ask({type: 'drop', id: texts.id}).then(show);
  }

  worker.addEventListener('message', event => {
    if (event.data && event.data.type === 'state') {
      show(event.data);
      if (event.data.fresh.length) ask({type: 'state'});  // mark them shown
    }
  });

  // Still waiting while online (a flaky link): try again, less and less often.
  let retryDelay = 5000;
  const update = () => ask({type: navigator.onLine ? 'flush' : 'state'}).then(state => {
    show(state);
    if (state.waiting.length && navigator.onLine) setTimeout(update, retryDelay *= 2);
  }, () => 0);
  addEventListener('online', update);
  addEventListener('offline', update);
  update();
})();
