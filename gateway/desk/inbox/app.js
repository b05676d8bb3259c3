// The facilitator web inbox: one page over the desk API (/api/v1, see
// gateway/desk/API.md).
//
// Rules this file keeps:
// - Every visible text comes from /inbox/strings.json (fetched at start);
//   there is no prose here, only keys.
// - Text that came from a resident or from the API (summaries, fields,
//   messages, event details, names) is only ever put into the page with
//   textContent or createTextNode, never innerHTML.
// - Served under a strict CSP: no inline handlers, no eval, no style
//   attributes; visibility is the `hidden` attribute and classes.
// - Plain ES2017 (async/await, no optional chaining), no framework, so it
//   runs in old Android browsers.
(function () {
  'use strict';

  var TOKEN_KEY = 'suaradesa.token';
  var strings = {};
  var state = {
    token: null,
    me: null,
    statuses: { pengaduan: [], usulan: [] },
    cases: [],
    current: null,   // CaseDetail on screen
    listSeq: 0,      // drops answers of superseded list requests
    caseSeq: 0,
  };

  // ---------------------------------------------------------------- helpers

  function $(id) { return document.getElementById(id); }

  // The text for `key` with {name} placeholders filled from `params`; the key
  // itself when the catalogue lacks it (visible, but never blank).
  function t(key, params) {
    var text = Object.prototype.hasOwnProperty.call(strings, key) ? String(strings[key]) : key;
    if (params) {
      text = text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
      });
    }
    return text;
  }

  // t() for keys made from data (a status, a field name): the raw value when
  // the catalogue has no label for it.
  function label(prefix, value) {
    var key = prefix + value;
    return Object.prototype.hasOwnProperty.call(strings, key) ? String(strings[key]) : String(value);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function show(node, visible) {
    if (visible) node.removeAttribute('hidden');
    else node.setAttribute('hidden', '');
  }

  var dateFormat = null;
  function formatTime(iso) {
    if (!iso) return t('inbox.none');
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    try {
      if (!dateFormat) {
        dateFormat = new Intl.DateTimeFormat('id-ID', {
          day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
        });
      }
      return dateFormat.format(d);
    } catch (e) {
      return d.toISOString().replace('T', ' ').slice(0, 16);
    }
  }

  function applyStrings() {
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
    nodes = document.querySelectorAll('[data-i18n-placeholder]');
    for (var j = 0; j < nodes.length; j++) {
      nodes[j].setAttribute('placeholder', t(nodes[j].getAttribute('data-i18n-placeholder')));
    }
    document.title = t('inbox.title');
  }

  // ---------------------------------------------------------------- notices

  var noticeTimer = null;

  function notify(text, kind) {
    $('notice-text').textContent = text;
    $('notice').className = 'notice ' + (kind || 'error');
    $('notice').setAttribute('role', kind === 'ok' ? 'status' : 'alert');
    show($('notice'), true);
    if (noticeTimer) clearTimeout(noticeTimer);
    noticeTimer = null;
    if (kind === 'ok') noticeTimer = setTimeout(hideNotice, 4000);
  }

  function hideNotice() {
    show($('notice'), false);
  }

  // ---------------------------------------------------------------- API

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  // Calls the desk API. Resolves to the parsed JSON (or a Blob when
  // opts.blob); rejects with an ApiError. A 401 signs out first.
  async function api(method, path, body, opts) {
    opts = opts || {};
    var headers = { 'Authorization': 'Bearer ' + state.token };
    var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    var res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'network', '');
    }
    if (res.status === 401) {
      signOut();
      throw new ApiError(401, 'unauthorized', '');
    }
    if (!res.ok) {
      var code = '', message = '';
      try {
        var err = await res.json();
        if (err && err.error) {
          code = String(err.error.code || '');
          message = String(err.error.message || '');
        }
      } catch (e) { /* not JSON: the status says enough */ }
      throw new ApiError(res.status, code, message);
    }
    if (opts.blob) return res.blob();
    return res.json();
  }

  function errorText(e) {
    if (!(e instanceof ApiError)) return t('inbox.error.generic', { detail: String(e) });
    switch (e.status) {
      case 0: return t('inbox.error.network');
      case 401: return t('inbox.error.unauthorized');
      case 403: return t('inbox.error.forbidden');
      case 404: return t('inbox.error.not_found');
      case 422: return t('inbox.error.transition', { detail: e.message || e.code });
      case 429: return t('inbox.error.rate_limited');
      default: return t('inbox.error.generic', { detail: e.status + (e.message ? ' ' + e.message : '') });
    }
  }

  function report(e) {
    // A 401 already took the user back to the sign-in form.
    notify(errorText(e), 'error');
  }

  // ---------------------------------------------------------------- sign in

  function showSignIn() {
    show($('desk'), false);
    show($('who'), false);
    show($('signin'), true);
    $('token').value = '';
    $('token').focus();
  }

  function signOut() {
    state.token = null;
    state.me = null;
    state.current = null;
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* storage disabled */ }
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    showSignIn();
  }

  async function signIn(token) {
    state.token = token;
    state.me = await api('GET', '/api/v1/me');
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* storage disabled */ }
    try {
      var statuses = await api('GET', '/api/v1/statuses');
      state.statuses = {
        pengaduan: Array.isArray(statuses.pengaduan) ? statuses.pengaduan : [],
        usulan: Array.isArray(statuses.usulan) ? statuses.usulan : [],
      };
    } catch (e) {
      if (e.status === 401) throw e;
      report(e);
    }
    $('who-name').textContent = t('inbox.signed_in_as', {
      name: state.me.name || '', role: label('inbox.role.', state.me.role || ''),
    });
    show($('who'), true);
    show($('signin'), false);
    show($('desk'), true);
    fillStatusFilter();
    await loadCases();
    await route();
    try { await activitiesLoad(); } catch (e) { report(e); }
  }

  async function onSignIn(ev) {
    ev.preventDefault();
    var token = $('token').value.trim();
    if (!token) return;
    $('signin-submit').disabled = true;
    try {
      hideNotice();
      await signIn(token);
    } catch (e) {
      if (e.status === 401) notify(t('inbox.signin.wrong'), 'error');
      else { state.token = null; report(e); }
    } finally {
      $('signin-submit').disabled = false;
    }
  }

  // ---------------------------------------------------------------- case list

  function fillStatusFilter() {
    var select = $('f-status');
    var type = $('f-type').value;
    var keep = select.value;
    var seen = {};
    var codes = [];
    var lists = type ? [state.statuses[type] || []] : [state.statuses.pengaduan, state.statuses.usulan];
    lists.forEach(function (list) {
      list.forEach(function (s) { if (!seen[s]) { seen[s] = true; codes.push(s); } });
    });
    while (select.options.length > 1) select.remove(1);
    codes.forEach(function (s) {
      var o = el('option', null, label('inbox.status.', s));
      o.value = s;
      select.appendChild(o);
    });
    select.value = seen[keep] ? keep : '';
  }

  function filterQuery() {
    var params = [];
    function add(name, value) {
      if (value) params.push(encodeURIComponent(name) + '=' + encodeURIComponent(value));
    }
    add('type', $('f-type').value);
    add('status', $('f-status').value);
    if ($('f-overdue').checked) add('overdue', '1');
    add('q', $('f-q').value.trim());
    return params.length ? '?' + params.join('&') : '';
  }

  async function loadCases() {
    var seq = ++state.listSeq;
    $('case-list').setAttribute('aria-busy', 'true');
    try {
      var data = await api('GET', '/api/v1/cases' + filterQuery());
      if (seq !== state.listSeq) return;
      state.cases = Array.isArray(data.cases) ? data.cases : [];
      renderList();
    } catch (e) {
      if (seq === state.listSeq) report(e);
    } finally {
      if (seq === state.listSeq) $('case-list').removeAttribute('aria-busy');
    }
  }

  function caseHref(ticket) {
    return '#/case/' + encodeURIComponent(ticket);
  }

  function renderList() {
    var list = $('case-list');
    clear(list);
    var selected = state.current ? state.current.ticket : null;
    state.cases.forEach(function (c) {
      var li = el('li', 'case-item');
      li.setAttribute('data-ticket', String(c.ticket));
      if (c.overdue) li.classList.add('is-overdue');
      if (c.ticket === selected) li.classList.add('selected');
      var a = el('a', 'case-link');
      a.href = caseHref(String(c.ticket));
      var top = el('span', 'case-top');
      top.appendChild(el('strong', 'ticket', c.ticket));
      var status = el('span', 'badge status-' + String(c.status).replace(/[^a-z]/g, ''),
                      label('inbox.status.', c.status));
      status.setAttribute('data-status', String(c.status));
      top.appendChild(status);
      if (c.overdue) top.appendChild(el('span', 'badge overdue', t('inbox.overdue')));
      a.appendChild(top);
      a.appendChild(el('span', 'case-summary', c.summary || ''));
      var sub = [label('inbox.type.', c.type)];
      if (c.desa_name) sub.push(c.desa_name);
      sub.push(formatTime(c.updated_at || c.created_at));
      a.appendChild(el('span', 'case-sub', sub.join(' - ')));
      li.appendChild(a);
      list.appendChild(li);
    });
    $('list-count').textContent = t('inbox.list.count', { n: state.cases.length });
    show($('list-empty'), state.cases.length === 0);
  }

  // ---------------------------------------------------------------- one case

  function addRow(dl, term, value, className) {
    dl.appendChild(el('dt', null, term));
    var dd = el('dd', className || null, value);
    dl.appendChild(dd);
    return dd;
  }

  // The dialog's answers come as codes with readable companions
  // ("category" and "category_label", "where" and "where_name", "cost" and
  // "cost_text"). Show the readable one, under the answer's own label.
  var COMPANIONS = ['_label', '_name', '_text'];
  var FIELD_ORDER = ['what', 'activity', 'category', 'where', 'desa', 'location', 'when',
                     'when_date', 'when_time', 'who', 'beneficiaries', 'cost', 'swadaya',
                     'privacy', 'confidential'];

  function fieldBase(name) {
    for (var i = 0; i < COMPANIONS.length; i++) {
      var suffix = COMPANIONS[i];
      if (name.length > suffix.length && name.slice(-suffix.length) === suffix) {
        return name.slice(0, -suffix.length);
      }
    }
    return name;
  }

  function fieldOrder(f) {
    var names = Object.keys(f).filter(function (name) {
      for (var i = 0; i < COMPANIONS.length; i++) {
        var v = f[name + COMPANIONS[i]];
        if (v !== undefined && v !== null && v !== '') return false;
      }
      return true;
    });
    function rank(name) {
      var r = FIELD_ORDER.indexOf(fieldBase(name));
      return r < 0 ? FIELD_ORDER.length : r;
    }
    // Stable: equal ranks keep the API's order.
    return names.map(function (n, i) { return [rank(n), i, n]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (x) { return x[2]; });
  }

  function fieldLabel(name) {
    var key = 'inbox.field.' + name;
    if (Object.prototype.hasOwnProperty.call(strings, key)) return String(strings[key]);
    return label('inbox.field.', fieldBase(name));
  }

  function renderCase(c) {
    state.current = c;
    var view = $('case-view');
    view.setAttribute('data-ticket', String(c.ticket));
    $('case-ticket').textContent = c.ticket;
    var status = $('case-status');
    status.textContent = label('inbox.status.', c.status);
    status.className = 'badge status-' + String(c.status).replace(/[^a-z]/g, '');
    status.setAttribute('data-status', String(c.status));
    show($('case-overdue'), !!c.overdue);
    $('case-summary').textContent = c.summary || '';

    var meta = $('case-meta');
    clear(meta);
    addRow(meta, t('inbox.case.type'), label('inbox.type.', c.type));
    addRow(meta, t('inbox.case.area'), c.desa_name ? c.desa_name + ' (' + (c.desa || '') + ')' : (c.area || ''));
    var reporter = addRow(meta, t('inbox.case.reporter'), c.reporter || t('inbox.none'), 'reporter');
    if (c.confidential) reporter.appendChild(el('span', 'badge muted', t('inbox.case.confidential')));
    addRow(meta, t('inbox.case.assignee'), c.assignee || t('inbox.case.unassigned'));
    addRow(meta, t('inbox.case.created'), formatTime(c.created_at));
    addRow(meta, t('inbox.case.updated'), formatTime(c.updated_at));

    var fields = $('case-fields');
    clear(fields);
    var names = fieldOrder(c.fields || {});
    names.forEach(function (name) {
      var v = c.fields[name];
      addRow(fields, fieldLabel(name),
             v === null || v === undefined || v === '' ? t('inbox.none')
               : (typeof v === 'string' ? v : JSON.stringify(v)),
             'field-value');
    });
    if (names.length === 0) addRow(fields, '', t('inbox.none'));

    var deadlines = $('case-deadlines');
    clear(deadlines);
    var d = c.deadlines;
    if (d && typeof d === 'object') {
      var now = Date.now();
      ['verify', 'answer', 'resolve'].forEach(function (k) {
        if (!(k in d)) return;
        var dd = addRow(deadlines, t('inbox.deadline.' + k), formatTime(d[k]));
        var when = d[k] ? Date.parse(d[k]) : NaN;
        if (!isNaN(when) && when < now) dd.classList.add('past');
      });
    } else {
      addRow(deadlines, '', t('inbox.deadline.none'));
    }

    var messages = $('case-messages');
    clear(messages);
    (c.messages || []).forEach(function (m) {
      var out = m.direction === 'out';
      var li = el('li', 'msg ' + (out ? 'out' : 'in'));
      var head = el('span', 'msg-head',
                    (out ? t('inbox.message.out') : t('inbox.message.in')) + ' - ' + formatTime(m.at));
      li.appendChild(head);
      li.appendChild(el('span', 'msg-text', m.text || ''));
      if (out && m.status) li.appendChild(el('span', 'msg-status', label('inbox.delivery.', m.status)));
      // The platform's code and reason of a failed delivery.
      if (out && (m.error_code || m.error_reason)) {
        var why = [m.error_code, m.error_reason].filter(function (x) { return x; }).join(' ');
        li.appendChild(el('span', 'msg-error', why));
      }
      messages.appendChild(li);
    });
    if (!c.messages || c.messages.length === 0) messages.appendChild(el('li', 'hint', t('inbox.none')));

    var events = $('case-events');
    clear(events);
    (c.events || []).forEach(function (e) {
      var li = el('li', 'event');
      li.setAttribute('data-kind', String(e.kind));
      var head = el('span', 'event-head', formatTime(e.at) + ' - ' + label('inbox.event.', e.kind));
      li.appendChild(head);
      if (e.actor) li.appendChild(el('span', 'event-actor', e.actor));
      if (e.detail) li.appendChild(el('span', 'event-detail', e.detail));
      events.appendChild(li);
    });
    if (!c.events || c.events.length === 0) events.appendChild(el('li', 'hint', t('inbox.none')));

    var select = $('status-select');
    clear(select);
    (state.statuses[c.type] || []).forEach(function (s) {
      var o = el('option', null, label('inbox.status.', s));
      o.value = s;
      if (s === c.status) o.selected = true;
      select.appendChild(o);
    });

    var items = document.querySelectorAll('#case-list .case-item');
    for (var i = 0; i < items.length; i++) {
      items[i].classList.toggle('selected', items[i].getAttribute('data-ticket') === c.ticket);
    }
    show($('case-none'), false);
    show(view, true);
    document.body.classList.add('has-case');
  }

  function closeCase() {
    state.current = null;
    show($('case-view'), false);
    show($('case-none'), true);
    $('case-view').removeAttribute('data-ticket');
    document.body.classList.remove('has-case');
    var items = document.querySelectorAll('#case-list .case-item.selected');
    for (var i = 0; i < items.length; i++) items[i].classList.remove('selected');
  }

  async function openCase(ticket) {
    var seq = ++state.caseSeq;
    try {
      var c = await api('GET', '/api/v1/cases/' + encodeURIComponent(ticket));
      if (seq !== state.caseSeq) return;
      hideNotice();
      renderCase(c);
      window.scrollTo(0, 0);
    } catch (e) {
      if (seq !== state.caseSeq) return;
      report(e);
      if (e.status === 404) closeCase();
    }
  }

  // The hash is the selected case ("#/case/ADU-3"), so the phone's back
  // button returns to the list.
  async function route() {
    if (!state.token) return;
    if (await reportRoute()) return;
    var m = /^#\/case\/(.+)$/.exec(location.hash);
    if (m) {
      var ticket;
      try { ticket = decodeURIComponent(m[1]); } catch (e) { ticket = ''; }
      if (ticket) { await openCase(ticket); return; }
    }
    closeCase();
  }

  // ---------------------------------------------------------------- actions

  async function onReply(ev) {
    ev.preventDefault();
    var c = state.current;
    var text = $('reply-text').value.trim();
    if (!c || !text) return;
    $('reply-send').disabled = true;
    try {
      var updated = await api('POST', '/api/v1/cases/' + encodeURIComponent(c.ticket) + '/replies',
                              { text: text });
      $('reply-text').value = '';
      renderCase(updated);
      notify(t('inbox.reply.sent'), 'ok');
      loadCases();
    } catch (e) {
      report(e);
    } finally {
      $('reply-send').disabled = false;
    }
  }

  async function onStatus(ev) {
    ev.preventDefault();
    var c = state.current;
    var status = $('status-select').value;
    if (!c || !status) return;
    $('status-save').disabled = true;
    try {
      var updated = await api('POST', '/api/v1/cases/' + encodeURIComponent(c.ticket) + '/status',
                              { status: status, note: $('status-note').value.trim() });
      $('status-note').value = '';
      renderCase(updated);
      notify(t('inbox.status_change.saved', { status: label('inbox.status.', updated.status) }), 'ok');
      loadCases();
    } catch (e) {
      report(e);
    } finally {
      $('status-save').disabled = false;
    }
  }

  // Fetches `path` with the token and saves it as `filename`; the button
  // stays disabled meanwhile.
  async function download(buttonId, path, filename) {
    var button = $(buttonId);
    button.disabled = true;
    try {
      var blob = await api('GET', path, undefined, { blob: true });
      var url = URL.createObjectURL(blob);
      var a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    } catch (e) {
      report(e);
    } finally {
      button.disabled = false;
    }
  }

  function onExport() {
    return download('export', '/api/v1/export/cases.csv',
                    'kasus-' + new Date().toISOString().slice(0, 10) + '.csv');
  }

  // ---------------------------------------------------------------- participation report
  // #/report: the figures of GET /api/v1/reports/participation and its
  // charts (participation.svg), shown as images from data: URLs (the CSP
  // allows img-src data:; an SVG in an <img> runs nothing).

  var REPORT_CHARTS = ['residents', 'proposals', 'meetings', 'complaints'];
  var reportSeq = 0;

  function reportQuery() {
    var params = [];
    function add(name, value) {
      if (value) params.push(encodeURIComponent(name) + '=' + encodeURIComponent(value));
    }
    add('area', $('r-area').value.trim());
    add('from', $('r-from').value);
    add('to', $('r-to').value);
    return params.length ? '?' + params.join('&') : '';
  }

  function blobToDataUrl(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result)); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(blob);
    });
  }

  function percent(share) {
    return share === null || share === undefined ? '-' : Math.round(share * 100) + '%';
  }

  function renderReportTotals(data) {
    var dl = $('report-totals');
    clear(dl);
    var total = data.total || {};
    var p = total.proposals || {}, m = total.meetings || {}, c = total.complaints || {};
    var rows = [
      ['report.inbox.residents', (total.residents || {}).total],
      ['report.inbox.proposals', p.total],
      ['report.inbox.womens_share', percent(p.womens_forum_share)],
      ['report.inbox.women_beneficiaries', p.women_beneficiaries],
      ['report.inbox.invited', m.invited],
      ['report.inbox.rsvp', String(m.hadir) + ' / ' + String(m.tidak)],
      ['report.inbox.complaints', c.total],
      ['report.inbox.on_time', percent(c.on_time_rate)],
      ['report.inbox.median', c.median_hours_to_answer === null ? '-' : c.median_hours_to_answer],
    ];
    rows.forEach(function (row) {
      dl.appendChild(el('dt', null, t(row[0])));
      dl.appendChild(el('dd', null, row[1] === undefined ? '-' : row[1]));
    });
  }

  // Loads the figures and charts of the form's months. The charts are built
  // off the page and put in at once, and the view says which query it shows
  // (data-query), so nothing reads a half-drawn or an older report.
  async function loadReport() {
    var seq = ++reportSeq;
    var query = reportQuery();
    var view = $('report-view');
    view.setAttribute('aria-busy', 'true');
    try {
      var data = await api('GET', '/api/v1/reports/participation' + query);
      if (seq !== reportSeq) return;
      var images = [];
      for (var i = 0; i < REPORT_CHARTS.length; i++) {
        var name = REPORT_CHARTS[i];
        var sep = query ? '&' : '?';
        var blob = await api('GET', '/api/v1/reports/participation.svg' + query + sep +
                             'chart=' + name, undefined, { blob: true });
        if (seq !== reportSeq) return;
        var img = el('img', 'report-chart');
        img.setAttribute('data-chart', name);
        img.alt = name;
        img.src = await blobToDataUrl(new Blob([blob], { type: 'image/svg+xml' }));
        if (seq !== reportSeq) return;
        images.push(img);
      }
      renderReportTotals(data);
      var charts = $('report-charts');
      clear(charts);
      images.forEach(function (img) { charts.appendChild(img); });
      view.setAttribute('data-query', query);
      view.removeAttribute('aria-busy');
    } catch (e) {
      if (seq === reportSeq) {
        view.removeAttribute('aria-busy');
        notify(t('report.inbox.failed'), 'error');
        report(e);
      }
    }
  }

  function onReportCsv() {
    return download('r-csv', '/api/v1/reports/participation.csv' + reportQuery(),
                    'partisipasi.csv');
  }

  // Shows the report for #/report and returns true; otherwise hides it and
  // returns false (the desk's own routes go on).
  async function reportRoute() {
    var on = location.hash === '#/report';
    show($('report-view'), on);
    show($('desk'), !on);
    if (!on) return false;
    await loadReport();
    return true;
  }

  function startReport() {
    $('report-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadReport(); });
    $('r-csv').addEventListener('click', onReportCsv);
  }

  // ---------------------------------------------------------------- start

  async function loadStrings() {
    try {
      var res = await fetch('/inbox/strings.json', { credentials: 'same-origin' });
      if (res.ok) {
        var data = await res.json();
        if (data && typeof data === 'object') strings = data;
      }
    } catch (e) { /* keys stay visible; the page still works */ }
  }

  // ------------------------------------------------------------ Activities
  // The "Kegiatan" section (issue 18): list, create from a proposal ticket,
  // change the stage and record progress. Texts set with textContent only.

  var activityState = { list: [], current: null };

  async function activitiesLoad() {
    var data = await api('GET', '/api/v1/activities');
    activityState.list = (data && data.activities) || [];
    activitiesRender();
  }

  function activitiesRender() {
    var ul = $('activity-list');
    clear(ul);
    activityState.list.forEach(function (a) {
      var li = el('li', 'case-item');
      var b = el('button', 'link', a.ticket + ' ' + a.title + ' - ' + a.stage + ' ' + a.progress + '%');
      b.type = 'button';
      b.addEventListener('click', function () { activitiesSelect(a); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    show($('activity-empty'), activityState.list.length === 0);
    show($('activities'), true);
  }

  function activitiesSelect(a) {
    activityState.current = a;
    $('activity-current').textContent = a.ticket + ' ' + a.title;
    $('activity-stage').value = a.stage;
    $('activity-progress').value = a.progress;
    $('activity-note').value = '';
    show($('activity-update'), true);
  }

  async function activitiesOnCreate(ev) {
    ev.preventDefault();
    var body = { ticket: $('activity-ticket').value.trim() };
    if ($('activity-blm').value !== '') body.budget_blm = parseInt($('activity-blm').value, 10);
    if ($('activity-swadaya').value !== '') body.budget_swadaya = parseInt($('activity-swadaya').value, 10);
    if ($('activity-tpk').value.trim() !== '') body.tpk = $('activity-tpk').value.trim();
    try {
      await api('POST', '/api/v1/activities', body);
      $('activity-create').reset();
      await activitiesLoad();
    } catch (e) { report(e); }
  }

  async function activitiesOnUpdate(ev) {
    ev.preventDefault();
    var a = activityState.current;
    if (!a) return;
    var path = '/api/v1/activities/' + a.id;
    try {
      if ($('activity-stage').value !== a.stage) {
        await api('PATCH', path, { stage: $('activity-stage').value });
      }
      var progress = parseInt($('activity-progress').value, 10);
      var note = $('activity-note').value.trim();
      if (!isNaN(progress) && (progress !== a.progress || note !== '')) {
        await api('POST', path + '/notes', { progress: progress, note: note });
      }
      show($('activity-update'), false);
      await activitiesLoad();
    } catch (e) { report(e); }
  }

  function activitiesStart() {
    $('activity-create').addEventListener('submit', activitiesOnCreate);
    $('activity-update').addEventListener('submit', activitiesOnUpdate);
  }

  async function start() {
    await loadStrings();
    applyStrings();
    document.body.classList.remove('loading');

    $('signin-form').addEventListener('submit', onSignIn);
    $('signout').addEventListener('click', signOut);
    $('notice-close').addEventListener('click', hideNotice);
    $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); loadCases(); });
    $('f-type').addEventListener('change', function () { fillStatusFilter(); loadCases(); });
    $('f-status').addEventListener('change', loadCases);
    $('f-overdue').addEventListener('change', loadCases);
    $('export').addEventListener('click', onExport);
    $('reply-form').addEventListener('submit', onReply);
    $('status-form').addEventListener('submit', onStatus);
    activitiesStart();
    startReport();
    // The back link is href="#": the hash change closes the case.
    window.addEventListener('hashchange', route);

    var saved = null;
    try { saved = sessionStorage.getItem(TOKEN_KEY); } catch (e) { /* storage disabled */ }
    if (saved) {
      try {
        await signIn(saved);
      } catch (e) {
        if (e.status !== 401) { report(e); showSignIn(); }
      }
    } else {
      showSignIn();
    }
    document.body.setAttribute('data-ready', '1');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
