/*
 * The task register page at `/tasks`: a table over `GET /v1/tasks` (who must do what, by when,
 * according to which document), with filters kept in the URL query so a view can be bookmarked,
 * a panel with the cited passage (`/tasks#task=<task_id>` opens it directly: calendar events link
 * there), and CSV / iCalendar downloads with the same filters.
 *
 * Safety rule for this file, as in widget.js: text from the server or from documents is only ever
 * put in the page with textContent or as attribute values we never execute; no HTML sinks.
 * The API key (when the service has keys) is the chat page's: same sessionStorage entry, so a key
 * entered on either page works on both; downloads are fetched with the key and saved as a blob.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || !script.src) return;

  // tasks.js lives at <base>/static/tasks.js; the API is at <base>/v1/…
  const API = new URL("../", new URL(script.src, document.baseURI)).href.replace(/\/+$/, "");
  const KEY_STORE = "qa-widget-api-key"; // shared with widget.js (the chat page)
  const FIELDS = ["actor", "role", "doc_id", "due_from", "due_to", "status", "recurring", "q", "sort", "as_of", "limit", "offset"];
  const DEFAULTS = { role: "any", sort: "deadline", limit: "20", offset: "0" };
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  const CHOICES = {
    role: ["any", "lead", "support"],
    status: ["", "overdue", "due_soon", "upcoming", "no_deadline"],
    recurring: ["", "true", "false"],
    sort: ["deadline", "document_date"],
  };

  const T = {
    loading: "Đang tải…",
    filters: "Bộ lọc",
    filtersUsed: (n) => "Bộ lọc (" + n + " đang dùng)",
    summary: (from, to, total) => "Hiển thị " + from + "–" + to + " trên " + total + " nhiệm vụ",
    summaryNone: "Không có nhiệm vụ nào",
    asOf: (d) => "trạng thái tính đến ngày " + d,
    emptyFiltered: "Không có nhiệm vụ nào khớp bộ lọc. Hãy nới bộ lọc hoặc xoá bộ lọc để xem tất cả.",
    emptyAll: "Chưa có nhiệm vụ nào: các văn bản đã nạp chưa giao nhiệm vụ cụ thể cho cơ quan nào.",
    page: (n, of) => "Trang " + n + "/" + of,
    noDeadline: "Không có hạn",
    docSays: "Văn bản ghi: ",
    recurring: "Định kỳ: ",
    nextDue: "lần tới ",
    untitled: "(Không có tiêu đề)",
    docDate: (d) => "ngày " + d,
    actorsNone: "(Không nêu cơ quan)",
    panelHeading: "Đoạn văn gốc",
    panelLoading: "Đang tải nhiệm vụ…",
    panelNotFound: "Không tìm thấy nhiệm vụ này. Có thể văn bản chứa nó đã được gỡ khỏi hệ thống.",
    docTasks: "Xem mọi nhiệm vụ của văn bản này",
    docFilter: (label) => "Chỉ hiện nhiệm vụ của văn bản: " + label,
    meta: {
      deadline: "Hạn", recurrence: "Định kỳ", actors: "Cơ quan", report: "Báo cáo về", doc: "Văn bản",
      title: "Trích yếu", section: "Mục", source: "Nguồn",
    },
    exportBusy: "Đang chuẩn bị tệp…",
    exportDone: (name) => "Đã tải tệp " + name + ".",
    exportFailed: "Chưa tải được tệp: ",
    keyNeeded: "Trang này cần khóa API (khóa dùng cho hỏi đáp) để xem sổ nhiệm vụ.",
    keyLabel: "Khóa API",
    keySave: "Lưu khóa",
    retry: "Thử lại",
    detail: "Chi tiết: ",
    errNetwork: "Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.",
    errServer: "Máy chủ gặp lỗi. Vui lòng thử lại sau.",
    errUnavailable: "Dịch vụ đang khởi động hoặc đang bận. Vui lòng thử lại sau giây lát.",
    errAuth: "Khóa API không hợp lệ hoặc chưa được cấp quyền hỏi đáp.",
    errInvalid: "Bộ lọc không hợp lệ. Vui lòng kiểm tra lại các ô lọc.",
    errRate: "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
    errGeneric: "Đã có lỗi xảy ra. Vui lòng thử lại.",
  };
  const ROLE = { lead: "chủ trì", support: "phối hợp", assignee: "được giao" };
  const BADGE = { overdue: "Quá hạn", due_soon: "Sắp đến hạn" };
  const STATUS_TEXT = { overdue: "Quá hạn", due_soon: "Sắp đến hạn", upcoming: "Chưa đến hạn", no_deadline: "Không có hạn" };
  const RECURRENCE = {
    daily: "hằng ngày", weekly: "hằng tuần", monthly: "hằng tháng", quarterly: "hằng quý",
    semiannual: "6 tháng một lần", annual: "hằng năm",
  };

  // ---- small helpers ------------------------------------------------------------------------

  /** Build an element; `text` goes through textContent, the only way data reaches the page. */
  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  const $ = (id) => document.getElementById(id);

  /** "2025-12-31" → "31/12/2025", the way Vietnamese documents write dates. */
  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso || "";
  }

  function safeHttpUrl(value) {
    // Written out as a web address: a file name such as "https:evil.example.docx" parses as a URL too.
    if (!/^https?:\/\//i.test(value || "")) return null;
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function isoOf(date) {
    return date.toISOString().slice(0, 10);
  }

  function addDays(iso, days) {
    const d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return isoOf(d);
  }

  /** Today in Vietnam (the server's default `as_of`), whatever the browser's time zone. */
  function vietnamToday() {
    try {
      const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date());
      const get = (type) => parts.find((p) => p.type === type).value;
      return get("year") + "-" + get("month") + "-" + get("day");
    } catch (_) {
      return isoOf(new Date());
    }
  }

  // ---- API ----------------------------------------------------------------------------------

  class HttpError extends Error {
    constructor(status, code, message) {
      super(message || "HTTP " + status);
      this.status = status;
      this.code = code || "";
    }
  }

  function apiKey() {
    try {
      return sessionStorage.getItem(KEY_STORE) || memoryKey;
    } catch (_) {
      return memoryKey;
    }
  }
  let memoryKey = ""; // when sessionStorage is unavailable (privacy modes)

  function saveKey(value) {
    memoryKey = value;
    try {
      sessionStorage.setItem(KEY_STORE, value);
    } catch (_) {
      /* kept in memory for this page */
    }
  }

  function authHeaders(accept) {
    const h = { Accept: accept || "application/json" };
    const key = apiKey();
    if (key) h.Authorization = "Bearer " + key;
    return h;
  }

  async function httpError(res) {
    let code = "";
    let message = "";
    try {
      const body = await res.json();
      code = (body && body.error && body.error.code) || "";
      message = (body && body.error && body.error.message) || "";
    } catch (_) {
      /* not JSON: keep the status alone */
    }
    return new HttpError(res.status, code, message);
  }

  function apiUrl(path, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== undefined && v !== null) qs.set(k, v);
    const query = qs.toString();
    return API + path + (query ? "?" + query : "");
  }

  async function apiGet(path, params, accept) {
    const res = await fetch(apiUrl(path, params), { headers: authHeaders(accept), credentials: "omit" });
    if (!res.ok) throw await httpError(res);
    return res;
  }

  async function getJson(path, params) {
    return (await apiGet(path, params)).json();
  }

  function isAuthError(err) {
    return err instanceof HttpError && (err.status === 401 || err.status === 403);
  }

  /** A Vietnamese sentence for a failure, plus the server's own message as a detail. */
  function describeError(err) {
    if (!(err instanceof HttpError)) return { text: T.errNetwork, detail: "" };
    const s = err.status;
    let text = T.errGeneric;
    if (s === 401 || s === 403) text = T.errAuth;
    else if (s === 422 || s === 400) text = T.errInvalid;
    else if (s === 429) text = T.errRate;
    else if (s === 503) text = T.errUnavailable;
    else if (s >= 500) text = T.errServer;
    const detail = err.message && !/^HTTP \d+$/.test(err.message) ? err.message : "";
    return { text, detail };
  }

  // ---- state: the URL query is the source of truth --------------------------------------------

  let state = readUrl();
  let serverAsOf = ""; // the `as_of` of the last answer (the server's today when the URL has none)

  function readUrl() {
    const qs = new URLSearchParams(location.search);
    const s = {};
    for (const name of FIELDS) s[name] = (qs.get(name) || "").trim();
    for (const [name, allowed] of Object.entries(CHOICES)) if (!allowed.includes(s[name])) s[name] = "";
    for (const name of ["due_from", "due_to", "as_of"]) if (!ISO_DATE.test(s[name])) s[name] = "";
    const limit = parseInt(s.limit, 10);
    s.limit = limit >= 1 && limit <= 500 ? String(limit) : "";
    const offset = parseInt(s.offset, 10);
    s.offset = offset >= 0 ? String(offset) : "";
    for (const [name, value] of Object.entries(DEFAULTS)) if (!s[name]) s[name] = value;
    return s;
  }

  function writeUrl(push) {
    const qs = new URLSearchParams();
    for (const name of FIELDS) if (state[name] && state[name] !== DEFAULTS[name]) qs.set(name, state[name]);
    const query = qs.toString();
    const url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function apiParams(withPage) {
    const p = {};
    for (const name of FIELDS) if (state[name]) p[name] = state[name];
    if (!withPage) {
      delete p.limit;
      delete p.offset;
    }
    return p;
  }

  function activeFilters() {
    const used = ["actor", "doc_id", "status", "recurring", "q"].filter((n) => state[n]).length;
    return used + (state.due_from || state.due_to ? 1 : 0) + (state.role !== "any" ? 1 : 0);
  }

  function hasFilters() {
    return activeFilters() > 0;
  }

  // ---- filters form -------------------------------------------------------------------------

  const form = $("filters");
  const controls = {
    actor: $("f-actor"), role: $("f-role"), status: $("f-status"), recurring: $("f-recurring"), q: $("f-q"),
    due_from: $("f-from"), due_to: $("f-to"), sort: $("f-sort"), limit: $("f-limit"),
  };

  // On a phone the filters fold away above the list (a button shows how many are in use).
  const filtersToggle = $("filters-toggle");
  const phone = window.matchMedia("(max-width: 720px)");

  function setFiltersOpen(open) {
    form.classList.toggle("is-collapsed", !open);
    filtersToggle.setAttribute("aria-expanded", String(open));
  }
  filtersToggle.addEventListener("click", () => setFiltersOpen(filtersToggle.getAttribute("aria-expanded") !== "true"));
  setFiltersOpen(!phone.matches);
  phone.addEventListener("change", (e) => setFiltersOpen(!e.matches));

  function fillForm() {
    for (const [name, input] of Object.entries(controls)) {
      if (name === "limit" && !Array.from(input.options).some((o) => o.value === state.limit)) {
        input.append(el("option", { value: state.limit, text: state.limit }));
      }
      input.value = state[name];
    }
    updateChrome();
  }

  function readForm() {
    const next = Object.assign({}, state);
    for (const [name, input] of Object.entries(controls)) next[name] = input.value.trim();
    for (const name of ["due_from", "due_to"]) if (!ISO_DATE.test(next[name])) next[name] = "";
    for (const [name, value] of Object.entries(DEFAULTS)) if (!next[name]) next[name] = value;
    return next;
  }

  /** New filters from the form (or `changes`): back to the first page, URL pushed, list reloaded. */
  function apply(changes) {
    const next = Object.assign(readForm(), changes || {});
    const keepPage = changes && "offset" in changes;
    if (!keepPage) next.offset = "0";
    const same = FIELDS.every((n) => (next[n] || "") === (state[n] || ""));
    state = next;
    fillForm();
    if (same) return;
    writeUrl(true);
    load();
  }

  let applyTimer = null;
  function applySoon() {
    clearTimeout(applyTimer);
    applyTimer = setTimeout(() => apply(), 350);
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(applyTimer);
    apply();
  });
  form.addEventListener("change", (e) => {
    if (e.target instanceof HTMLSelectElement) apply();
    else applySoon(); // dates typed digit by digit, text committed on blur
  });
  // The clear (×) button of a search box empties it without a change event.
  for (const box of [controls.actor, controls.q]) box.addEventListener("search", () => applySoon());
  controls.actor.addEventListener("input", (e) => {
    // A choice from the list arrives as one replacement, not typing: apply it at once.
    if (!e.inputType || e.inputType === "insertReplacementText") applySoon();
  });

  function clearFilters() {
    for (const name of ["actor", "q", "due_from", "due_to"]) controls[name].value = "";
    controls.role.value = "any";
    controls.status.value = "";
    controls.recurring.value = "";
    apply({ doc_id: "" });
  }
  $("clear-filters").addEventListener("click", clearFilters);
  $("empty-clear").addEventListener("click", () => {
    clearFilters();
    $("filters").querySelector("input, select").focus();
  });
  $("doc-filter-clear").addEventListener("click", () => apply({ doc_id: "" }));

  function today() {
    return state.as_of || serverAsOf || vietnamToday();
  }

  function period(kind) {
    const t = today();
    if (kind === "month") {
      const first = t.slice(0, 8) + "01";
      const d = new Date(first + "T00:00:00Z");
      d.setUTCMonth(d.getUTCMonth() + 1);
      d.setUTCDate(0);
      return { due_from: first, due_to: isoOf(d) };
    }
    if (kind === "next30") return { due_from: t, due_to: addDays(t, 30) };
    return { due_from: "", due_to: "" };
  }

  for (const chip of form.querySelectorAll("[data-period]")) {
    chip.addEventListener("click", () => {
      const range = period(chip.dataset.period);
      controls.due_from.value = range.due_from;
      controls.due_to.value = range.due_to;
      apply();
    });
  }

  for (const btn of document.querySelectorAll(".sort-btn")) {
    btn.addEventListener("click", () => {
      controls.sort.value = btn.dataset.sort;
      apply();
    });
  }

  /** Pressed chips, sorted column, the document filter line: everything that mirrors `state`. */
  function updateChrome() {
    for (const chip of form.querySelectorAll("[data-period]")) {
      const range = period(chip.dataset.period);
      const on = chip.dataset.period === "clear"
        ? !state.due_from && !state.due_to
        : range.due_from === state.due_from && range.due_to === state.due_to;
      chip.setAttribute("aria-pressed", String(on));
    }
    for (const th of document.querySelectorAll("th[data-sort-key]")) {
      const key = th.dataset.sortKey;
      if (key === state.sort) th.setAttribute("aria-sort", key === "deadline" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
    const used = activeFilters();
    filtersToggle.textContent = used ? T.filtersUsed(used) : T.filters;
    $("doc-filter").hidden = !state.doc_id;
    if (state.doc_id) $("doc-filter-text").textContent = T.docFilter(docLabels.get(state.doc_id) || state.doc_id);
  }

  // ---- list ---------------------------------------------------------------------------------

  const rows = $("task-rows");
  const rowsById = new Map();
  const docLabels = new Map();
  let loadSeq = 0;

  async function load() {
    const seq = ++loadSeq;
    setBusy(true);
    try {
      const data = await getJson("/v1/tasks", apiParams(true));
      if (seq !== loadSeq) return;
      const total = Number(data.total) || 0;
      const offset = Number(state.offset) || 0;
      if (!data.tasks.length && total > 0 && offset > 0) {
        // A bookmarked page past the end (documents were removed): show the last page instead.
        const limit = Number(state.limit);
        state.offset = String(Math.max(0, Math.floor((total - 1) / limit) * limit));
        writeUrl(false);
        load();
        return;
      }
      serverAsOf = data.as_of || "";
      hideProblem();
      render(data.tasks, total);
    } catch (err) {
      if (seq !== loadSeq) return;
      render([], 0, true);
      showProblem(err, () => load());
    } finally {
      if (seq === loadSeq) setBusy(false);
    }
  }

  function setBusy(busy) {
    $("results").setAttribute("aria-busy", String(busy));
    $("task-table").classList.toggle("is-loading", busy);
    if (busy) $("summary").textContent = T.loading;
  }

  function render(tasks, total, failed) {
    rowsById.clear();
    const fragment = document.createDocumentFragment();
    for (const task of tasks) {
      docLabels.set(task.doc_id, docLabel(task));
      const row = renderRow(task);
      rowsById.set(task.task_id, row);
      fragment.append(row);
    }
    rows.replaceChildren(fragment);
    const offset = Number(state.offset) || 0;
    const limit = Number(state.limit) || 20;
    const asOf = formatDate(state.as_of || serverAsOf);
    if (failed) $("summary").textContent = "";
    else if (!total) $("summary").textContent = T.summaryNone + (asOf ? " · " + T.asOf(asOf) : "") + ".";
    else $("summary").textContent = T.summary(offset + 1, offset + tasks.length, total) + (asOf ? " · " + T.asOf(asOf) : "") + ".";
    $("task-table").hidden = !tasks.length;
    $("row-hint").hidden = !tasks.length;
    $("empty").hidden = failed || tasks.length > 0;
    $("empty-text").textContent = hasFilters() ? T.emptyFiltered : T.emptyAll;
    $("empty-clear").hidden = !hasFilters();
    const pages = Math.max(1, Math.ceil(total / limit));
    $("pager").hidden = failed || total <= limit;
    $("page-info").textContent = T.page(Math.floor(offset / limit) + 1, pages);
    $("page-prev").disabled = offset <= 0;
    $("page-next").disabled = offset + limit >= total;
    updateChrome();
    const open = panelTaskId && rowsById.get(panelTaskId);
    if (open) open.classList.add("is-active");
  }

  function docLabel(task) {
    const name = [task.doc_kind, task.number].filter(Boolean).join(" ");
    return name || task.title || task.source || T.untitled;
  }

  function dueDate(task) {
    const d = task.deadline;
    if (!d) return "";
    return (d.recurrence && d.next_due) || d.date || "";
  }

  /** "trước ngày 30/6/2026" says no more than 30/06/2026: the table leaves it to the panel. */
  function restatesDate(text, iso) {
    const m = /^(?:trước|chậm nhất|hạn|đến)?\s*(?:ngày\s*)?(\d{1,2})\/(\d{1,2})\/(\d{4})$/i.exec(text.trim());
    return !!m && Number(m[1]) === Number(iso.slice(8, 10)) && Number(m[2]) === Number(iso.slice(5, 7)) && m[3] === iso.slice(0, 4);
  }

  function deadlineParts(task) {
    const d = task.deadline;
    const due = dueDate(task);
    const parts = [];
    if (due) parts.push(el("span", { class: "due-date", text: formatDate(due) }));
    else if (d && d.text) parts.push(el("span", { class: "due-text", text: d.text }));
    else parts.push(el("span", { class: "due-none", text: T.noDeadline }));
    if (BADGE[task.status]) parts.push(el("span", { class: "badge badge-" + task.status, text: BADGE[task.status] }));
    if (d && d.recurrence) parts.push(el("span", { class: "recur", text: T.recurring + (RECURRENCE[d.recurrence] || d.recurrence) }));
    if (due && d.text && !restatesDate(d.text, due)) parts.push(el("span", { class: "due-source", text: T.docSays + d.text }));
    return parts;
  }

  function actorList(actors) {
    if (!actors || !actors.length) return el("span", { class: "muted", text: T.actorsNone });
    return el("ul", { class: "actors" }, actors.map((a) =>
      el("li", { class: "actor role-" + a.role }, [
        el("span", { class: "actor-name", text: a.name }),
        el("span", { class: "role-tag", text: ROLE[a.role] || a.role }),
      ])
    ));
  }

  function docParts(task) {
    const parts = [el("span", { class: "doc-name", text: docLabel(task) })];
    if (task.published) parts.push(el("span", { class: "doc-date", text: T.docDate(formatDate(task.published)) }));
    if (task.title && task.title !== docLabel(task)) parts.push(el("span", { class: "doc-title", text: task.title }));
    return parts;
  }

  function renderRow(task) {
    const row = el("tr", {
      class: "task-row status-" + task.status, tabindex: 0, "data-task-id": task.task_id,
      "data-status": task.status, "aria-haspopup": "dialog",
    }, [
      el("td", { class: "col-deadline", "data-label": "Hạn" }, deadlineParts(task)),
      el("td", { class: "col-actors", "data-label": "Cơ quan" }, [actorList(task.actors)]),
      el("td", { class: "col-action", "data-label": "Nhiệm vụ" }, [el("span", { class: "action", text: task.action })]),
      el("td", { class: "col-doc", "data-label": "Văn bản" }, docParts(task)),
    ]);
    row.addEventListener("click", () => {
      const selection = window.getSelection && String(window.getSelection());
      if (selection) return; // selecting text to copy it is not a click on the row
      openPanel(task, row);
    });
    row.addEventListener("keydown", (e) => {
      if (e.target !== row || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      openPanel(task, row);
    });
    return row;
  }

  function goToPage(delta) {
    const limit = Number(state.limit);
    const offset = Math.max(0, (Number(state.offset) || 0) + delta * limit);
    apply({ offset: String(offset) });
    $("results").focus();
  }
  $("page-prev").addEventListener("click", () => goToPage(-1));
  $("page-next").addEventListener("click", () => goToPage(1));

  // ---- actors picker ------------------------------------------------------------------------

  let actorsLoaded = false;
  async function loadActors() {
    if (actorsLoaded) return;
    try {
      const data = await getJson("/v1/actors", {});
      const options = (data.actors || []).map((a) =>
        el("option", { value: a.name, label: a.name + " — " + a.tasks + " nhiệm vụ" })
      );
      $("actor-options").replaceChildren(...options);
      actorsLoaded = true;
    } catch (_) {
      /* the list reports errors; free typing still works */
    }
  }

  // ---- problems: errors, the key prompt ---------------------------------------------------------

  function hideProblem() {
    const box = $("problem");
    box.hidden = true;
    box.replaceChildren();
  }

  function showProblem(err, retry) {
    const box = $("problem");
    const info = describeError(err);
    const children = [];
    if (isAuthError(err)) {
      const hadKey = !!apiKey();
      children.push(el("p", { class: "problem-text", text: hadKey ? T.errAuth : T.keyNeeded }));
      if (hadKey && info.detail) children.push(el("p", { class: "problem-detail", text: T.detail + info.detail }));
      children.push(keyForm());
    } else {
      children.push(el("p", { class: "problem-text", text: info.text }));
      if (info.detail) children.push(el("p", { class: "problem-detail", text: T.detail + info.detail }));
      children.push(el("button", { type: "button", class: "btn", text: T.retry, on: { click: retry } }));
    }
    box.replaceChildren(...children);
    box.hidden = false;
    box.classList.toggle("is-auth", isAuthError(err));
    if (isAuthError(err) && keyFocusWanted) {
      keyFocusWanted = false;
      box.querySelector("input").focus();
    }
  }

  let keyFocusWanted = false;

  function keyForm() {
    const input = el("input", { id: "api-key", class: "key-input", type: "password", autocomplete: "off", required: true });
    return el("form", {
      class: "key-form",
      on: {
        submit: (e) => {
          e.preventDefault();
          const value = input.value.trim();
          if (!value) return input.focus();
          saveKey(value);
          keyFocusWanted = true; // if this key is refused too, bring the user back to the box
          hideProblem();
          restart();
        },
      },
    }, [
      el("label", { for: "api-key", text: T.keyLabel }),
      input,
      el("button", { type: "submit", class: "btn primary", text: T.keySave }),
    ]);
  }

  /** After a key is saved: everything that may have been refused, again. */
  function restart() {
    load().then(() => {
      if (!$("problem").hidden) return;
      loadActors();
      if (keyFocusWanted) $("results").focus(); // the key form, which had focus, is gone
      keyFocusWanted = false;
    });
    if (/^#task=/.test(location.hash)) openFromHash();
  }

  // ---- downloads ----------------------------------------------------------------------------

  const exporting = new Set();

  function filenameFrom(disposition, fallback) {
    const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || "");
    const name = m ? decodeURIComponent(m[1]).replace(/[\\/]/g, "_") : "";
    return name || fallback;
  }

  async function download(kind) {
    if (exporting.has(kind)) return;
    exporting.add(kind);
    const status = $("export-status");
    const btn = $("export-" + kind);
    btn.setAttribute("aria-busy", "true");
    status.textContent = T.exportBusy;
    try {
      const accept = kind === "csv" ? "text/csv" : "text/calendar";
      const res = await apiGet("/v1/tasks." + kind, apiParams(false), accept);
      const blob = await res.blob();
      const name = filenameFrom(res.headers.get("Content-Disposition"), "nhiem-vu." + kind);
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
      status.textContent = T.exportDone(name);
    } catch (err) {
      if (isAuthError(err)) {
        status.textContent = "";
        showProblem(err, () => download(kind));
      } else {
        const info = describeError(err);
        status.textContent = T.exportFailed + info.text + (info.detail ? " " + T.detail + info.detail : "");
      }
    } finally {
      exporting.delete(kind);
      btn.removeAttribute("aria-busy");
    }
  }
  for (const btn of document.querySelectorAll("[data-export]")) btn.addEventListener("click", () => download(btn.dataset.export));

  // ---- the passage panel ----------------------------------------------------------------------

  const panel = $("panel");
  let panelTaskId = null; // the task shown (or being fetched); null when closed
  let panelOpener = null;

  function meta(label, value) {
    if (!value || (Array.isArray(value) && !value.length)) return [];
    const dd = el("dd", {}, Array.isArray(value) ? value : [typeof value === "string" ? document.createTextNode(value) : value]);
    return [el("dt", { text: label }), dd];
  }

  function panelContent(task) {
    const d = task.deadline;
    const due = dueDate(task);
    const deadline = [];
    if (due) {
      deadline.push(el("span", { class: "due-date", text: formatDate(due) }));
      if (d.text) deadline.push(el("span", { class: "muted", text: " (" + T.docSays + d.text + ")" }));
      deadline.push(" ", el("span", { class: "badge badge-" + task.status, text: STATUS_TEXT[task.status] || task.status }));
    } else deadline.push(el("span", { text: (d && d.text) || T.noDeadline }));
    const actors = (task.actors || []).map((a) => a.name + " (" + (ROLE[a.role] || a.role) + ")").join("; ");
    const docLine = docLabel(task) + (task.published ? ", " + T.docDate(formatDate(task.published)) : "");
    let source = null;
    if (task.source) {
      const href = safeHttpUrl(task.source);
      source = href
        ? el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", text: task.source })
        : el("span", { text: task.source });
    }
    const list = el("dl", { class: "panel-meta" }, [
      ...meta(T.meta.deadline, deadline),
      ...meta(T.meta.recurrence, d && d.recurrence ? RECURRENCE[d.recurrence] || d.recurrence : ""),
      ...meta(T.meta.actors, actors),
      ...meta(T.meta.report, task.report_to || ""),
      ...meta(T.meta.doc, docLine),
      ...meta(T.meta.title, task.title || ""),
      ...meta(T.meta.section, task.section || ""),
      ...meta(T.meta.source, source),
    ]);
    const children = [
      el("p", { class: "panel-action", text: task.action }),
      list,
      el("blockquote", { class: "snippet", text: task.snippet || "" }),
    ];
    if (task.doc_id && state.doc_id !== task.doc_id) {
      docLabels.set(task.doc_id, docLabel(task));
      children.push(el("button", {
        type: "button", class: "btn", text: T.docTasks,
        on: { click: () => { closePanel(false); apply({ doc_id: task.doc_id }); $("results").focus(); } },
      }));
    }
    return children;
  }

  function openPanel(task, opener) {
    showPanel(task.task_id, opener);
    $("panel-body").replaceChildren(...panelContent(task));
    panel.dataset.taskId = task.task_id;
  }

  function showPanel(taskId, opener) {
    for (const row of rows.querySelectorAll(".is-active")) row.classList.remove("is-active");
    panelTaskId = taskId;
    if (opener) panelOpener = opener;
    const row = rowsById.get(taskId);
    panel.hidden = false;
    document.body.classList.add("panel-open");
    if (row) {
      row.classList.add("is-active");
      row.scrollIntoView({ block: "nearest" }); // the list may reflow beside the panel
    }
    const hash = "#task=" + encodeURIComponent(taskId);
    if (location.hash !== hash) history.replaceState(null, "", location.pathname + location.search + hash);
    $("panel-heading").focus();
  }

  function closePanel(restoreFocus) {
    if (panel.hidden) return;
    const id = panelTaskId;
    panel.hidden = true;
    panelTaskId = null;
    delete panel.dataset.taskId;
    document.body.classList.remove("panel-open");
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    const row = (id && rowsById.get(id)) || null;
    if (row) row.classList.remove("is-active");
    if (restoreFocus === false) return;
    const target = panelOpener && panelOpener.isConnected ? panelOpener : row || $("page-title");
    panelOpener = null;
    target.focus();
  }

  $("panel-close").addEventListener("click", () => closePanel());
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      closePanel();
    }
  });

  /** `#task=<id>`: open that task's panel, fetched on its own (it may not be on this page). */
  async function openFromHash() {
    const m = /^#task=(.+)$/.exec(location.hash);
    if (!m) return;
    let id;
    try {
      id = decodeURIComponent(m[1]);
    } catch (_) {
      return;
    }
    showPanel(id, null);
    $("panel-body").replaceChildren(el("p", { class: "muted", text: T.panelLoading }));
    try {
      const params = state.as_of ? { as_of: state.as_of } : {};
      const task = await getJson("/v1/tasks/" + encodeURIComponent(id), params);
      if (panelTaskId !== id) return;
      openPanel(task, null);
    } catch (err) {
      if (panelTaskId !== id) return;
      if (isAuthError(err)) {
        // The list shows the key form; the hash stays, so restart() opens the task once a key is saved.
        panel.hidden = true;
        panelTaskId = null;
        document.body.classList.remove("panel-open");
        return;
      }
      const text = err instanceof HttpError && err.status === 404 ? T.panelNotFound : describeError(err).text;
      $("panel-body").replaceChildren(el("p", { class: "problem-text", role: "alert", text }));
    }
  }

  window.addEventListener("hashchange", () => {
    if (/^#task=/.test(location.hash)) openFromHash();
    else closePanel(false);
  });

  window.addEventListener("popstate", () => {
    state = readUrl();
    fillForm();
    load();
    if (/^#task=/.test(location.hash)) {
      if (!panelTaskId || "#task=" + encodeURIComponent(panelTaskId) !== location.hash) openFromHash();
    } else closePanel(false);
  });

  // ---- start ----------------------------------------------------------------------------------

  fillForm();
  writeUrl(false); // drop values the page could not read, so the URL says what is shown
  load().then(() => {
    if ($("problem").hidden) loadActors();
  });
  openFromHash();
})();
