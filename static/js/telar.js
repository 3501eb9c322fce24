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
  if (!script) return;
  const words = script.dataset;
  const language = document.documentElement.lang;
  const keepSection = document.querySelector('#keep-offline');
  const offlinePage = document.querySelector('#on-this-phone');
  const worker = navigator.serviceWorker;
  /* Not supported (no service worker, or blocked): the module page says so and offers nothing that cannot work. */
  const unsupported = () => {
    if (!keepSection) return;
    keepSection.querySelectorAll('[data-for]').forEach(control => { control.hidden = true; });
    keepSection.querySelector('[data-text]').textContent = keepSection.dataset.unsupported;
    keepSection.dataset.state = 'unsupported';
    keepSection.hidden = false;
  };
  if (!worker || !window.caches) {
    unsupported();
    return;
  }
  // A browser that blocks service workers may answer register() with nothing: not supported either.
  const ready = worker.register('/sw.js').then(registration => {
    if (!registration) throw Error('service workers are blocked');
    return worker.ready;
  });
  ready.catch(unsupported);

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
  const formatDate = time => new Date(time).toLocaleDateString(language, {dateStyle: 'long'});
  const formatMoment = time => new Date(time).toLocaleString(language, {dateStyle: 'long', timeStyle: 'short'});
  /* The catalogues' "%s" placeholders, filled in order. */
  const fill = (text, ...values) => values.reduce((result, value) => result.replace('%s', value), text);
  /* ngettext's forms for 1 and 2, chosen by the language's plural rule. */
  const isOne = count => new Intl.PluralRules(language).select(count) === 'one';
  const counted = (forms, count) => fill(isOne(count) ? forms[0] : forms[1], count);
  const countedWords = (one, many, count) => (isOne(count) ? one : many).replace(/\d+/, count);
  const element = (tag, text, className) => {
    const created = document.createElement(tag);
    created.textContent = text;
    if (className) created.className = className;
    return created;
  };
  const refused = entry => entry.status === 'rejected';
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

  // The status line at the top of every page: offline, what waits, what was refused, what was just sent.
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
    const refusedNow = freshlySent.filter(refused);
    const lines = [];
    const toOfflinePage = text => {
      const line = element('p', '');
      const link = element('a', text);
      link.href = words.page;
      line.append(link);
      return line;
    };
    if (!navigator.onLine) lines.push(element('p', words.off));
    if (waiting) lines.push(toOfflinePage(countedWords(words.one, words.many, waiting)));
    if (refusedNow.length) {
      lines.push(toOfflinePage(countedWords(words.refusedOne, words.refusedMany, refusedNow.length)));
    }
    if (!waiting && freshlySent.length) {
      if (!refusedNow.length) lines.push(element('p', words.sent));
      const list = element('ul', '');
      freshlySent.forEach(entry => list.append(sentItem(entry)));
      lines.push(list);
    }
    statusLine.className = waiting || refusedNow.length || !navigator.onLine ? 'notice notice--warning' : 'notice';
    statusLine.replaceChildren(...lines);
    statusLine.hidden = !lines.length;
    fillOfflinePage(state);
    offerToKeep(state);
  }

  // The offline page: what this phone keeps, what waits (and in which state), what was sent or refused.
  const pageWords = offlinePage && JSON.parse(document.querySelector('#offline-words').textContent);
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

  /* One write kept on the phone, waiting or answered: what it is, when she did it, its state and why. */
  function writeItem(entry, state) {
    const item = element('li', '', 'offline-write offline-write--' + state);
    item.dataset.state = state;
    item.append(element('strong', entry.label || pageWords.kinds[entry.kind] || ''));
    const meta = [pageWords.states[state] || state];
    if (entry.made) meta.push(fill(pageWords.made, formatMoment(entry.made)));
    item.append(element('span', meta.join(' · '), 'meta'));
    if (entry.message) item.append(element('span', entry.message));
    if (entry.url) {
      const link = element('a', pageWords.link);
      link.href = entry.url;
      item.append(link);
    }
    return item;
  }

  function fillOfflinePage(state) {
    if (!offlinePage) return;
    const fillList = (name, items) => {
      offlinePage.querySelector(`[data-list="${name}"]`).replaceChildren(...items);
      offlinePage.querySelector(`[data-empty="${name}"]`).hidden = items.length > 0;
      const count = offlinePage.querySelector(`[data-count="${name}"]`);
      if (count) {
        count.textContent = items.length ? counted(pageWords[name], items.length) : '';
        count.hidden = !items.length;
      }
    };
    fillList('queue', state.waiting.map(form => writeItem({...form, made: form.at}, form.state || 'waiting')));
    fillList('sent', state.sent.map(entry => writeItem(entry, entry.status)));
    fillList('modules', Object.values(state.modules).map(kept => {
      const item = element('li', '');
      const link = element('a', '');
      link.href = kept.url;
      link.append(element('strong', kept.title), element('span', fill(pageWords.kept, formatSize(kept.bytes), formatDate(kept.at)), 'meta'));
      item.append(link);
      return item;
    }));
    offlinePage.querySelector('[data-known]').hidden = false;
    if (navigator.storage && navigator.storage.estimate) {
      navigator.storage.estimate().then(estimate => {
        const space = offlinePage.querySelector('[data-show="space"]');
        space.textContent = fill(pageWords.space, formatSize(estimate.usage || 0));
        space.hidden = false;
      });
    }
  }

  // "Keep for offline" on a module page, one state at a time (see offline/includes/module_keep.html).
  const texts = keepSection ? keepSection.dataset : {};
  const BUSY = ['sizing', 'confirm', 'saving', 'update', 'removing', 'unsupported'];
  let plan;  // the module's files and sizes, once asked for and until kept
  let checkedVersion = false;
  function setKeepState(name, text) {
    keepSection.dataset.state = name;
    keepSection.querySelectorAll('[data-for]').forEach(control => {
      control.hidden = !control.dataset.for.split(' ').includes(name);
    });
    keepSection.querySelector('[data-text]').textContent = text;
    keepSection.hidden = false;
  }
  const keptText = kept => fill(texts.saved, formatDate(kept.at), formatSize(kept.bytes));
  const firstExplanation = keepSection && keepSection.querySelector('[data-text]').textContent;
  const askPlan = () => fetch(texts.src, {credentials: 'same-origin'}).then(response => {
    if (!response.ok) throw Error(response.status);
    return response.json();
  });

  function offerToKeep(state) {
    if (!keepSection || BUSY.includes(keepSection.dataset.state)) return;
    const kept = state.modules[texts.id];
    if (kept) {
      setKeepState('saved', keptText(kept));
      // Changed on the server since she kept it? Asked once per page, only with a connection.
      if (!checkedVersion && navigator.onLine && kept.version) {
        checkedVersion = true;
        askPlan().then(fresh => {
          if (fresh.version !== kept.version && keepSection.dataset.state === 'saved') {
            plan = fresh;
            setKeepState('update', fill(texts.update, formatDate(kept.at)));
          }
        }, () => 0);
      }
    } else if (keepSection.dataset.state !== 'removed' && keepSection.dataset.state !== 'failed') {
      setKeepState('idle', firstExplanation);
    }
  }

  if (keepSection) {
    const button = action => keepSection.querySelectorAll(`[data-act="${action}"]`);
    const on = (action, handler) => button(action).forEach(control => { control.onclick = handler; });
    const failed = full => setKeepState('failed', full ? texts.full : texts.fail);
    on('ask', () => {
      setKeepState('sizing', texts.sizing);
      askPlan().then(modulePlan => {
        plan = modulePlan;
        setKeepState('confirm', fill(texts.size, formatSize(modulePlan.bytes)));
      }, () => failed(false));
    });
    on('cancel', () => {
      plan = null;
      setKeepState('idle', firstExplanation);
    });
    on('keep', () => {
      const keep = modulePlan => {
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
        const progress = keepSection.querySelector('progress');
        progress.value = 0;
        setKeepState('saving', fill(texts.saving, formatSize(0), formatSize(modulePlan.bytes)));
        const onProgress = step => {
          progress.value = Math.round((100 * step.done) / Math.max(1, step.total));
          keepSection.querySelector('[data-text]').textContent = fill(texts.saving, formatSize(step.done), formatSize(step.total));
        };
        return ask({type: 'keep', plan: modulePlan}, onProgress).then(answer => {
          plan = null;
          if (answer.type === 'kept') setKeepState('saved', keptText(answer.module));
          else failed(answer.full);
        });
      };
      if (plan) keep(plan);
      else askPlan().then(keep, () => failed(false));
    });
    on('drop', () => {
      setKeepState('removing', texts.removing);
      ask({type: 'drop', id: texts.id}).then(state => {
        setKeepState('removed', texts.removed);
        show(state);
      });
    });
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
