/*
 * Chat client for the Vietnamese document Q&A service: the page at `/` and the embeddable widget.
 *
 *   <script src="https://qa.example.vn/widget.js" data-api-key="KEY" defer></script>
 *
 * Attributes: data-endpoint (API base URL; default: where widget.js came from), data-api-key,
 * data-mode ("floating" button, default | "inline" full page), data-target (element id for inline),
 * data-title, data-tasks-url (a "Sổ nhiệm vụ" link in the header; the page at `/` sets it to `tasks`).
 *
 * Safety rule for this file: text from the server or from documents is only ever put in the page
 * with textContent or as attribute values we never execute; no innerHTML. The UI lives in a Shadow
 * DOM so the host page's CSS does not reach it, and styles are constructed stylesheets so a strict
 * CSP (style-src 'self') on the host page does not block them.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || !script.src) return;

  const scriptUrl = new URL(script.src, document.baseURI);
  const ds = script.dataset;
  const config = {
    endpoint: (ds.endpoint || new URL(".", scriptUrl).href).replace(/\/+$/, ""),
    apiKey: ds.apiKey || "",
    mode: ds.mode === "inline" ? "inline" : "floating",
    target: ds.target || "",
    title: ds.title || "Hỏi đáp văn bản",
    tasksUrl: ds.tasksUrl || "",
    cssUrl: new URL("static/chat.css", scriptUrl).href,
  };
  const KEY_STORE = "qa-widget-api-key";
  // Without an API key the server binds a conversation to the token it hands out with the first
  // answer; it is sent back in this header. Kept in memory only, like the conversation id.
  const TOKEN_HEADER = "X-Conversation-Token";
  const TOKEN_RE = /^[A-Za-z0-9_-]{32,128}$/;
  const MAX_HISTORY = 40; // the API accepts 20 turns (user + assistant)
  const IDLE_TIMEOUT_MS = 120000;

  const T = {
    open: "Mở trợ lý hỏi đáp văn bản",
    close: "Đóng cửa sổ hỏi đáp",
    subtitle: "Trả lời từ văn bản, kèm trích dẫn nguồn",
    newChat: "Cuộc trò chuyện mới",
    welcome:
      "Xin chào! Hãy đặt câu hỏi về các chỉ thị, kế hoạch và tin bài đã có trong hệ thống. " +
      "Mỗi câu trả lời đều kèm trích dẫn; bấm vào [1], [2]… để xem đoạn văn gốc.",
    placeholder: "Nhập câu hỏi…",
    inputHint: "Enter để gửi, Shift+Enter để xuống dòng.",
    inputLabel: "Câu hỏi của bạn",
    log: "Hội thoại",
    send: "Gửi câu hỏi",
    stop: "Dừng trả lời",
    you: "Bạn",
    bot: "Trợ lý",
    searching: "Đang tìm trong tài liệu…",
    answering: "Đang trả lời…",
    answered: "Đã có câu trả lời.",
    stopped: "(Đã dừng)",
    sources: "Nguồn trích dẫn",
    closest: "Các đoạn gần nhất tìm được",
    abstainTitle: "Tài liệu hiện có không chứa câu trả lời cho câu hỏi này.",
    citeLabel: (n, title) => "Trích dẫn " + n + ": " + title,
    citeHeading: (n) => "Trích dẫn [" + n + "]",
    closeCite: "Đóng trích dẫn",
    published: "Ngày đăng",
    source: "Nguồn",
    section: "Mục",
    untitled: "(Không có tiêu đề)",
    up: "Câu trả lời hữu ích",
    down: "Câu trả lời chưa tốt",
    commentLabel: "Góp ý thêm (không bắt buộc)",
    commentSend: "Gửi góp ý",
    thanks: "Cảm ơn bạn đã góp ý.",
    feedbackFailed: "Chưa gửi được góp ý, vui lòng thử lại.",
    retry: "Thử lại",
    errNetwork: "Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.",
    errTimeout: "Máy chủ không phản hồi. Vui lòng thử lại sau.",
    errInterrupted: "Câu trả lời bị gián đoạn. Vui lòng thử lại.",
    errServer: "Máy chủ gặp lỗi khi trả lời. Vui lòng thử lại sau.",
    errAuth: "Khóa API không hợp lệ hoặc chưa được cấp quyền hỏi đáp.",
    errTooLarge: "Câu hỏi quá dài. Vui lòng rút gọn.",
    errInvalid: "Câu hỏi không hợp lệ.",
    errGeneric: "Đã có lỗi xảy ra. Vui lòng thử lại.",
    errRate: (s) =>
      s ? "Bạn đã gửi quá nhiều câu hỏi. Vui lòng thử lại sau " + s + " giây."
        : "Bạn đã gửi quá nhiều câu hỏi. Vui lòng thử lại sau ít phút.",
    keyLabel: "Khóa API",
    keySave: "Lưu khóa",
    detail: "Chi tiết: ",
    tasks: "Sổ nhiệm vụ",
    tasksTitle: "Sổ nhiệm vụ: ai làm gì, hạn nào theo các văn bản",
  };

  // ---- small DOM helpers -------------------------------------------------------------------

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

  // Material Design icon paths (Apache-2.0), drawn as SVG so no icon font or emoji is needed.
  const ICONS = {
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
    send: "M2.01 21 23 12 2.01 3 2 10l15 2-15 2z",
    stop: "M6 6h12v12H6z",
    thumb:
      "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
      "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23" +
      ".14-.47.14-.73v-2z",
    refresh:
      "M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 1 0 7.75 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 " +
      "1.78L13 11h7V4l-2.35 2.35z",
    info: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6h2v6zm0-8h-2V7h2v2z",
  };

  function icon(name, cls) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon" + (cls ? " " + cls : ""));
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  /** "2022-05-20" → "20/05/2022", the way Vietnamese documents write dates. */
  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso || "";
  }

  /** Only http(s) sources become links: a `javascript:` or `data:` source stays plain text. */
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

  function resolveUrl(value) {
    try {
      return new URL(value, document.baseURI).href;
    } catch (_) {
      return "";
    }
  }

  // ---- server-sent events over fetch (EventSource cannot POST) -----------------------------

  function sseParser(onEvent) {
    let buffer = "";
    let type = "";
    let data = [];
    function line(text) {
      if (text === "") {
        if (data.length) onEvent(type || "message", data.join("\n"));
        type = "";
        data = [];
        return;
      }
      if (text[0] === ":") return; // comment / keep-alive
      const colon = text.indexOf(":");
      const field = colon < 0 ? text : text.slice(0, colon);
      let value = colon < 0 ? "" : text.slice(colon + 1);
      if (value[0] === " ") value = value.slice(1);
      if (field === "event") type = value;
      else if (field === "data") data.push(value);
    }
    let skipLF = false; // the previous chunk ended in "\r": a "\n" starting this one is its other half
    return function feed(chunk, final) {
      if (skipLF && chunk) {
        if (chunk[0] === "\n") chunk = chunk.slice(1);
        skipLF = false;
      }
      buffer += chunk;
      const re = /\r\n|\r|\n/g;
      let start = 0;
      let m;
      while ((m = re.exec(buffer))) {
        line(buffer.slice(start, m.index)); // a line ends at once, even on a lone "\r"
        start = re.lastIndex;
        if (m[0] === "\r" && start === buffer.length) skipLF = true;
      }
      buffer = buffer.slice(start);
      if (final) {
        if (buffer) line(buffer);
        line("");
        buffer = "";
      }
    };
  }

  class HttpError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message || "HTTP " + status);
      this.status = status;
      this.code = code || "";
      this.retryAfter = retryAfter;
    }
  }

  function apiKey() {
    if (config.apiKey) return config.apiKey;
    try {
      return sessionStorage.getItem(KEY_STORE) || "";
    } catch (_) {
      return "";
    }
  }

  function headers() {
    const h = { "Content-Type": "application/json" };
    const key = apiKey();
    if (key) h.Authorization = "Bearer " + key;
    if (state.conversationToken) h[TOKEN_HEADER] = state.conversationToken;
    return h;
  }

  /** Seconds from a Retry-After header (delta or HTTP date); null when absent or unreadable. */
  function retryAfterSeconds(value) {
    if (!value) return null;
    if (/^\d+$/.test(value.trim())) return parseInt(value, 10);
    const when = Date.parse(value);
    return isNaN(when) ? null : Math.max(1, Math.ceil((when - Date.now()) / 1000));
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
    // Cross-origin, Retry-After is only readable if the server exposes it; our server also says
    // "… sau N giây" in the message, so fall back to that.
    let retryAfter = retryAfterSeconds(res.headers.get("Retry-After"));
    const said = /(\d+)\s*giây/.exec(message);
    if (retryAfter === null && res.status === 429 && said) retryAfter = parseInt(said[1], 10);
    return new HttpError(res.status, code, message, retryAfter);
  }

  /**
   * POST the question and call handlers.citations / delta / done as events arrive.
   * Resolves with the final ChatResponse; rejects with HttpError, or the fetch/abort error.
   */
  async function streamChat(body, handlers, signal) {
    const res = await fetch(config.endpoint + "/v1/chat/stream", {
      method: "POST",
      headers: Object.assign(headers(), { Accept: "text/event-stream" }),
      body: JSON.stringify(body),
      credentials: "omit",
      signal,
    });
    if (!res.ok) throw await httpError(res);
    const type = res.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") >= 0) {
      const done = await res.json(); // a server without streaming: one full response
      handlers.done(done);
      return done;
    }
    if (!res.body) throw new HttpError(0, "no_stream", "");
    let result = null;
    let failure = null;
    const feed = sseParser((event, data) => {
      let payload;
      try {
        payload = JSON.parse(data);
      } catch (_) {
        return; // a malformed event is skipped rather than breaking the answer
      }
      if (event === "citations") handlers.citations(payload.citations || []);
      else if (event === "delta") handlers.delta(payload.text || "");
      else if (event === "done") {
        result = payload;
        handlers.done(payload);
      } else if (event === "error") {
        const e = payload.error || {};
        failure = new HttpError(e.status || 500, e.code, e.message);
      }
    });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      handlers.progress();
      feed(decoder.decode(value, { stream: true }), false);
      if (failure) break;
    }
    feed(decoder.decode(), true);
    if (failure) throw failure;
    if (!result) throw new HttpError(0, "interrupted", "");
    return result;
  }

  async function sendFeedback(payload) {
    const res = await fetch(config.endpoint + "/v1/feedback", {
      method: "POST",
      headers: headers(),
      body: JSON.stringify(payload),
      credentials: "omit",
    });
    if (!res.ok) throw await httpError(res);
  }

  /** A Vietnamese sentence for any failure, plus the server's own message as a detail. */
  function describeError(err) {
    if (err instanceof HttpError) {
      const s = err.status;
      let text = T.errGeneric;
      let retry = true;
      if (err.code === "interrupted") text = T.errInterrupted;
      else if (err.code === "timeout") text = T.errTimeout;
      else if (s === 429) text = T.errRate(err.retryAfter);
      else if (s === 401 || s === 403) [text, retry] = [T.errAuth, false];
      else if (s === 413) [text, retry] = [T.errTooLarge, false];
      else if (s === 422 || s === 400) [text, retry] = [T.errInvalid, false];
      else if (s >= 500) text = T.errServer;
      // The server's own message helps when reporting a problem; a 429 needs no more than ours.
      const detail = s !== 429 && err.message && !/^HTTP \d+$/.test(err.message) ? err.message : "";
      return { text, detail, retry };
    }
    return { text: T.errNetwork, detail: "", retry: true };
  }

  // ---- widget -------------------------------------------------------------------------------

  const state = { conversationId: null, conversationToken: null, history: [], controller: null, blockedUntil: 0 };
  let ui = null;

  function mount() {
    // A custom tag name keeps host-page rules such as `div { … }` off the host element itself.
    const host = el("qa-chat-widget", { class: "qa-host-" + config.mode });
    const target = config.mode === "inline" && config.target && document.getElementById(config.target);
    (target || document.body).append(host);
    const root = host.attachShadow({ mode: "open" });
    const wrapper = el("div", { class: "qa qa-" + config.mode, hidden: true, lang: "vi" });
    root.append(wrapper);
    ui = buildUi(wrapper);
    loadStyles(root).finally(() => wrapper.removeAttribute("hidden"));
    welcome();
  }

  async function loadStyles(root) {
    try {
      const res = await fetch(config.cssUrl, { credentials: "omit" });
      if (!res.ok) return;
      const css = await res.text();
      if ("adoptedStyleSheets" in root && typeof CSSStyleSheet.prototype.replaceSync === "function") {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        root.adoptedStyleSheets = [sheet];
      } else {
        root.prepend(el("style", { text: css }));
      }
    } catch (_) {
      /* unstyled but still usable */
    }
  }

  function buildUi(wrapper) {
    const titleId = "qa-title";
    const u = {};
    u.input = el("textarea", {
      class: "input", rows: 1, placeholder: T.placeholder, "aria-label": T.inputLabel, maxlength: 2000,
      "aria-describedby": "qa-input-hint", title: T.inputHint, on: { keydown: onInputKey, input: autoGrow },
    });
    u.send = el("button", { class: "send", type: "submit", "aria-label": T.send, title: T.send }, [icon("send")]);
    u.form = el("form", { class: "composer", on: { submit: onSubmit } }, [
      u.input, u.send, el("span", { id: "qa-input-hint", class: "sr-only", text: T.inputHint }),
    ]);
    u.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: 0, "aria-label": T.log });
    u.status = el("div", { class: "sr-only", role: "status" });
    u.cite = buildCitePanel();
    const headerButtons = [];
    const tasksHref = config.tasksUrl && safeHttpUrl(resolveUrl(config.tasksUrl));
    if (tasksHref) headerButtons.push(el("a", { class: "header-link", href: tasksHref, title: T.tasksTitle, text: T.tasks }));
    headerButtons.push(
      el("button", { class: "icon-btn", type: "button", "aria-label": T.newChat, title: T.newChat, on: { click: newChat } }, [icon("refresh")])
    );
    if (config.mode === "floating") {
      headerButtons.push(
        el("button", { class: "icon-btn", type: "button", "aria-label": T.close, title: T.close, on: { click: () => setOpen(false) } }, [icon("close")])
      );
    }
    const header = el("header", { class: "header" }, [
      el("div", { class: "heading" }, [
        // The full page's main heading; on a host page, a section heading among the host's own.
        el(config.mode === "inline" ? "h1" : "h2", { id: titleId, class: "title", text: config.title }),
        el("p", { class: "subtitle", text: T.subtitle }),
      ]),
      el("div", { class: "header-actions" }, headerButtons),
    ]);
    u.panel = el("section", { class: "panel", id: "qa-panel", "aria-labelledby": titleId }, [
      header, el("div", { class: "body" }, [u.log, u.cite.root]), u.form, u.status,
    ]);
    if (config.mode === "floating") {
      u.panel.setAttribute("role", "dialog");
      u.panel.setAttribute("hidden", "");
      u.launcher = el("button", {
        class: "launcher", type: "button", "aria-label": T.open, title: T.open,
        "aria-expanded": "false", "aria-controls": "qa-panel", on: { click: () => setOpen(true) },
      }, [icon("chat")]);
      wrapper.append(u.launcher);
    }
    wrapper.append(u.panel);
    wrapper.addEventListener("keydown", onKeydown);
    return u;
  }

  function buildCitePanel() {
    const c = {};
    c.heading = el("h3", { class: "cite-heading", id: "qa-cite-heading", tabindex: -1 });
    c.title = el("p", { class: "cite-title" });
    c.meta = el("dl", { class: "cite-meta" });
    c.snippet = el("blockquote", { class: "cite-snippet" });
    c.close = el("button", { class: "icon-btn", type: "button", "aria-label": T.closeCite, title: T.closeCite, on: { click: () => closeCite() } }, [icon("close")]);
    c.root = el("section", { class: "cite-panel", role: "dialog", hidden: true, "aria-labelledby": "qa-cite-heading" }, [
      el("div", { class: "cite-top" }, [c.heading, c.close]), c.title, c.meta, c.snippet,
    ]);
    return c;
  }

  // ---- open / close / keyboard --------------------------------------------------------------

  function setOpen(open) {
    if (config.mode !== "floating") return;
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    ui.launcher.classList.toggle("is-open", open);
    if (open) ui.input.focus();
    else {
      closeCite(false);
      ui.launcher.focus();
    }
  }

  function onKeydown(e) {
    if (e.key !== "Escape") return;
    if (!ui.cite.root.hidden) {
      e.stopPropagation();
      closeCite();
    } else if (config.mode === "floating" && !ui.panel.hidden) {
      e.stopPropagation();
      setOpen(false);
    }
  }

  function onInputKey(e) {
    // isComposing: Vietnamese IMEs (Telex, VNI) use Enter to commit a word, not to send.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      ui.form.requestSubmit ? ui.form.requestSubmit() : onSubmit(e);
    }
  }

  function autoGrow() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight, 160) + "px";
  }

  function onSubmit(e) {
    e.preventDefault();
    if (state.controller) {
      state.controller.abort("user");
      return;
    }
    const question = ui.input.value.trim();
    if (!question || Date.now() < state.blockedUntil) return;
    ui.input.value = "";
    autoGrow();
    ask(question);
  }

  function setBusy(busy) {
    ui.log.setAttribute("aria-busy", String(busy));
    ui.send.classList.toggle("is-stop", busy);
    ui.send.replaceChildren(icon(busy ? "stop" : "send"));
    ui.send.setAttribute("aria-label", busy ? T.stop : T.send);
    ui.send.title = busy ? T.stop : T.send;
  }

  function blockFor(seconds) {
    state.blockedUntil = Date.now() + seconds * 1000;
    ui.send.disabled = true;
    setTimeout(() => {
      ui.send.disabled = false;
      state.blockedUntil = 0;
    }, seconds * 1000);
  }

  // ---- messages -----------------------------------------------------------------------------

  function scrollToEnd(force) {
    const log = ui.log;
    if (force || log.scrollHeight - log.scrollTop - log.clientHeight < 120) log.scrollTop = log.scrollHeight;
  }

  function welcome() {
    ui.log.append(el("div", { class: "msg bot welcome" }, [el("p", { class: "text", text: T.welcome })]));
  }

  function newChat() {
    if (state.controller) state.controller.abort("user");
    state.conversationId = null;
    state.conversationToken = null;
    state.history = [];
    closeCite(false);
    ui.log.replaceChildren();
    welcome();
    ui.input.focus();
  }

  function addUserMessage(text) {
    const node = el("div", { class: "msg user" }, [
      el("span", { class: "sr-only", text: T.you + ": " }),
      el("p", { class: "text", text }),
    ]);
    ui.log.append(node);
    scrollToEnd(true);
    return node;
  }

  /** Split the answer on [n] markers; markers with a matching citation become buttons. */
  function renderAnswer(container, text, citations) {
    const byIndex = new Map(citations.map((c) => [Number(c.index), c]));
    const parts = [];
    const re = /\[(\d{1,3})\]/g;
    let last = 0;
    let m;
    while ((m = re.exec(text))) {
      const cit = byIndex.get(Number(m[1]));
      if (!cit) continue;
      if (m.index > last) parts.push(document.createTextNode(text.slice(last, m.index)));
      parts.push(citeButton(cit, "[" + cit.index + "]", "cite"));
      last = re.lastIndex;
    }
    if (last < text.length) parts.push(document.createTextNode(text.slice(last)));
    container.replaceChildren(...parts);
  }

  function citeButton(cit, label, cls) {
    const btn = el("button", {
      class: cls, type: "button", "aria-label": T.citeLabel(cit.index, cit.title || T.untitled),
      "aria-haspopup": "dialog",
    });
    btn.textContent = label;
    btn.addEventListener("click", () => openCite(cit, btn));
    return btn;
  }

  function renderSources(container, citations, abstained) {
    container.replaceChildren();
    if (!citations.length) return;
    const list = el("ol", { class: "source-list" });
    for (const cit of citations) {
      const btn = citeButton(cit, "", "source");
      btn.append(
        el("span", { class: "source-index", text: "[" + cit.index + "]" }),
        el("span", { class: "source-title", text: cit.title || T.untitled }),
        el("span", { class: "source-meta", text: [formatDate(cit.published), cit.source].filter(Boolean).join(" · ") })
      );
      list.append(el("li", {}, [btn]));
    }
    container.append(el("h4", { class: "sources-heading", text: abstained ? T.closest : T.sources }), list);
  }

  /** One assistant turn: pending → streaming → done | error. */
  function addBotMessage() {
    const m = {};
    m.text = el("p", { class: "text" });
    m.notice = el("p", { class: "notice", hidden: true }, [icon("info"), el("span", { text: T.abstainTitle })]);
    m.sources = el("div", { class: "sources" });
    m.actions = el("div", { class: "actions" });
    m.typing = el("p", { class: "typing" }, [el("span", { class: "dots", "aria-hidden": "true" }), el("span", { text: T.searching })]);
    // data-state (pending → streaming → done | error | stopped) is for tests and host-page scripts.
    m.root = el("div", { class: "msg bot is-pending", "data-state": "pending" }, [
      el("span", { class: "sr-only", text: T.bot + ": " }), m.typing, m.notice, m.text, m.sources, m.actions,
    ]);
    m.citations = [];
    m.raw = "";
    ui.log.append(m.root);
    scrollToEnd(true);
    return m;
  }

  function ask(question) {
    const userNode = addUserMessage(question);
    const msg = addBotMessage();
    const controller = new AbortController();
    state.controller = controller;
    setBusy(true);
    ui.status.textContent = T.searching;
    let idle = null;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort("timeout"), IDLE_TIMEOUT_MS);
    };
    touch();
    const body = { message: question, history: state.history.slice(-MAX_HISTORY) };
    if (state.conversationId) body.conversation_id = state.conversationId;

    const handlers = {
      progress: touch,
      citations(cits) {
        msg.citations = cits;
        msg.typing.lastChild.textContent = T.answering;
        renderAnswer(msg.text, msg.raw, cits);
      },
      delta(piece) {
        msg.raw += piece;
        msg.root.classList.remove("is-pending");
        msg.root.classList.add("is-streaming");
        msg.root.dataset.state = "streaming";
        renderAnswer(msg.text, msg.raw, msg.citations);
        scrollToEnd(false);
      },
      done(resp) {
        finishMessage(msg, resp, question);
      },
    };
    streamChat(body, handlers, controller.signal)
      .catch((err) => {
        const reason = controller.signal.reason;
        if (controller.signal.aborted && reason === "user") stopMessage(msg);
        else if (controller.signal.aborted && reason === "timeout") failMessage(msg, new HttpError(0, "timeout", ""), question, userNode);
        else failMessage(msg, err, question, userNode);
      })
      .finally(() => {
        clearTimeout(idle);
        if (state.controller === controller) state.controller = null;
        setBusy(false);
      });
  }

  function finishMessage(msg, resp, question) {
    const citations = Array.isArray(resp.citations) ? resp.citations : msg.citations;
    const answer = typeof resp.answer === "string" ? resp.answer : msg.raw;
    msg.root.classList.remove("is-pending", "is-streaming");
    msg.root.classList.toggle("abstained", !!resp.abstained);
    msg.root.dataset.state = "done";
    msg.typing.remove();
    msg.notice.hidden = !resp.abstained;
    renderAnswer(msg.text, answer, citations);
    renderSources(msg.sources, citations, !!resp.abstained);
    if (resp.conversation_id) {
      state.conversationId = resp.conversation_id;
      // No token (an API key owns the conversation) or a malformed one: send none with the next turn.
      const token = resp.conversation_token;
      state.conversationToken = typeof token === "string" && TOKEN_RE.test(token) ? token : null;
    }
    state.history.push({ role: "user", content: question }, { role: "assistant", content: answer });
    if (resp.message_id) msg.actions.append(buildFeedback(resp));
    ui.status.textContent = resp.abstained ? T.abstainTitle : T.answered;
    scrollToEnd(false);
  }

  function stopMessage(msg) {
    msg.typing.remove();
    msg.root.classList.remove("is-pending", "is-streaming");
    msg.root.classList.add("stopped");
    msg.root.dataset.state = "stopped";
    msg.text.append(el("span", { class: "stopped-label", text: " " + T.stopped }));
  }

  function failMessage(msg, err, question, userNode) {
    const info = describeError(err);
    msg.root.className = "msg bot error";
    msg.root.dataset.state = "error";
    msg.root.setAttribute("role", "alert");
    const children = [el("p", { class: "text", text: info.text })];
    if (info.detail) children.push(el("p", { class: "detail", text: T.detail + info.detail }));
    if (err instanceof HttpError && err.status === 429 && err.retryAfter) blockFor(err.retryAfter);
    if (err instanceof HttpError && (err.status === 401 || err.status === 403) && !config.apiKey) {
      children.push(buildKeyForm(msg, question, userNode));
    } else if (info.retry) {
      const retry = el("button", {
        class: "retry", type: "button", text: T.retry,
        on: { click: () => { userNode.remove(); msg.root.remove(); ask(question); } },
      });
      const wait = state.blockedUntil - Date.now();
      if (wait > 0) {
        retry.disabled = true; // after a 429, retrying early would only be refused again
        setTimeout(() => { retry.disabled = false; }, wait);
      }
      children.push(retry);
    }
    msg.root.replaceChildren(...children);
    ui.status.textContent = info.text;
    scrollToEnd(true);
  }

  /** On the full page there is no key in the tag: let the user paste one for this tab only. */
  function buildKeyForm(msg, question, userNode) {
    const input = el("input", { class: "key-input", type: "password", "aria-label": T.keyLabel, placeholder: T.keyLabel, autocomplete: "off" });
    return el("form", {
      class: "key-form",
      on: {
        submit: (e) => {
          e.preventDefault();
          try {
            sessionStorage.setItem(KEY_STORE, input.value.trim());
          } catch (_) {
            config.apiKey = input.value.trim();
          }
          userNode.remove();
          msg.root.remove();
          ask(question);
        },
      },
    }, [input, el("button", { class: "retry", type: "submit", text: T.keySave })]);
  }

  function buildFeedback(resp) {
    const status = el("span", { class: "feedback-status", role: "status" });
    const comment = el("form", { class: "comment", hidden: true }, [
      el("input", { class: "comment-input", type: "text", "aria-label": T.commentLabel, placeholder: T.commentLabel, maxlength: 1000 }),
      el("button", { class: "retry", type: "submit", text: T.commentSend }),
    ]);
    const buttons = {};
    async function rate(rating, text) {
      buttons.up.setAttribute("aria-pressed", String(rating === "up"));
      buttons.down.setAttribute("aria-pressed", String(rating === "down"));
      const payload = { conversation_id: resp.conversation_id, message_id: resp.message_id, rating };
      if (text) payload.comment = text;
      try {
        await sendFeedback(payload);
        status.textContent = T.thanks;
      } catch (_) {
        status.textContent = T.feedbackFailed;
      }
    }
    buttons.up = el("button", { class: "thumb up", type: "button", "aria-label": T.up, title: T.up, "aria-pressed": "false", on: { click: () => { comment.hidden = true; rate("up"); } } }, [icon("thumb")]);
    buttons.down = el("button", { class: "thumb down", type: "button", "aria-label": T.down, title: T.down, "aria-pressed": "false", on: { click: () => { comment.hidden = false; rate("down"); comment.firstChild.focus(); } } }, [icon("thumb", "flip")]);
    comment.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = comment.firstChild.value.trim();
      if (!text) return;
      comment.hidden = true;
      buttons.down.focus(); // the focused send button just disappeared with the form
      rate("down", text);
    });
    return el("div", { class: "feedback" }, [buttons.up, buttons.down, status, comment]);
  }

  // ---- citation panel -----------------------------------------------------------------------

  let citeOpener = null;

  function openCite(cit, opener) {
    const c = ui.cite;
    if (citeOpener) citeOpener.classList.remove("is-active");
    citeOpener = opener;
    opener.classList.add("is-active");
    c.heading.textContent = T.citeHeading(cit.index);
    c.title.textContent = cit.title || T.untitled;
    const meta = [];
    if (cit.published) meta.push(el("dt", { text: T.published }), el("dd", { text: formatDate(cit.published) }));
    if (cit.section) meta.push(el("dt", { text: T.section }), el("dd", { text: cit.section }));
    if (cit.source) {
      const href = safeHttpUrl(cit.source);
      const value = href
        ? el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", text: cit.source })
        : el("span", { text: cit.source });
      meta.push(el("dt", { text: T.source }), el("dd", {}, [value]));
    }
    c.meta.replaceChildren(...meta);
    c.snippet.textContent = cit.snippet || "";
    c.root.hidden = false;
    c.heading.focus();
  }

  function closeCite(restoreFocus) {
    const c = ui.cite;
    if (c.root.hidden) return;
    c.root.hidden = true;
    if (citeOpener) {
      citeOpener.classList.remove("is-active");
      if (restoreFocus !== false && citeOpener.isConnected) citeOpener.focus();
    }
    citeOpener = null;
  }

  // Lets a host page open the floating panel from its own button or link.
  window.QAWidget = { open: () => setOpen(true), close: () => setOpen(false) };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
