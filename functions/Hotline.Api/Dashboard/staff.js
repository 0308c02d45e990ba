/*
 * What the staff pages (/dashboard and /workbench) share, served once at /dashboard/assets/staff.js and loaded before
 * each page's own script: the staff key's storage, strings by language, China Standard Time formatting, building the
 * DOM, the status messages, and calling the API with the key. Plain ES2020, no build step; the pages' CSP allows
 * scripts from this origin only, which this file is.
 */
(() => {
  'use strict';

  /** The staff key lives in the tab's sessionStorage; the language in localStorage. One entry each for both pages. */
  const KEY_STORE = 'hotline.dashboard.key';
  const LANG_STORE = 'hotline.dashboard.lang';

  const $ = (id) => document.getElementById(id);

  // ---- strings ----

  // The long-term kinds and stages, worded alike on the dashboard and the workbench.
  const LONG_TERM_STRINGS = Object.freeze({
    zh: {
      'lt.longRunning': '长期推进（广州办法）',
      'lt.legalProcedure': '法定程序中（广州办法）',
      'lt.finalReport': '待报最终情况（3个工作日）',
      'lt.escalation': '提级办理（潍坊条例第23条）',
      'ltStage.plan': '待报解决方案',
      'ltStage.stagedFeedback': '阶段性反馈',
      'ltStage.study': '市政府办公室研究',
      'ltStage.executiveMeeting': '政府常务会议',
    },
    en: {
      'lt.longRunning': 'Long-running (Guangzhou)',
      'lt.legalProcedure': 'In a legal procedure (Guangzhou)',
      'lt.finalReport': 'Final report due (3 working days)',
      'lt.escalation': 'Escalated (Weifang art. 23)',
      'ltStage.plan': 'solution plan due',
      'ltStage.stagedFeedback': 'staged feedback',
      'ltStage.study': 'government office study',
      'ltStage.executiveMeeting': 'executive meeting',
    },
  });

  /**
   * Strings for the language <c>lang()</c> returns, falling back to Chinese, then to the key itself; "{name}" is
   * replaced by values.name. <c>label(prefix, code)</c> words a code ("cat.", "water-supply") or shows it as is.
   */
  function strings(table, lang) {
    function t(key, values) {
      const own = table[lang()];
      let text = key in own ? own[key] : (key in table.zh ? table.zh[key] : key);
      if (values) for (const [k, v] of Object.entries(values)) text = text.split('{' + k + '}').join(String(v));
      return text;
    }
    const label = (prefix, code) => (code == null ? t('none') : (prefix + code in table.zh ? t(prefix + code) : code));
    return { t, label };
  }

  // ---- China Standard Time, whatever the browser's zone ----

  const cstParts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });

  /** An instant in China Standard Time: { date: 'yyyy-mm-dd', time: 'HH:mm' }, or null. */
  function cst(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return null;
    const p = Object.fromEntries(cstParts.formatToParts(d).map((x) => [x.type, x.value]));
    return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
  }

  /** "2026-03-09 17:30" in China Standard Time, or <c>none</c> when there is no instant. */
  function dateTime(iso, none) {
    const c = iso ? cst(iso) : null;
    return c ? `${c.date} ${c.time}` : none;
  }

  // ---- DOM ----

  function setAttrs(el, attrs) {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') el.setAttribute('class', v);
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }

  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c == null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function fill(container, ...children) {
    container.replaceChildren();
    append(container, children);
  }

  /** The polite status line (#notice) or the assertive alert (#alert); each clears the other. */
  function notice(text) {
    $('alert').textContent = '';
    $('notice').textContent = text;
  }

  function alertText(text) {
    $('notice').textContent = '';
    $('alert').textContent = text;
  }

  // ---- the API ----

  /** A failed call: the HTTP status (0: no network), the problem's detail, and the lifecycle's refusal code if any. */
  class ApiError extends Error {
    constructor(status, detail, code) {
      super(detail);
      this.status = status;
      this.detail = detail;
      this.code = code || null;
    }
  }

  /**
   * A caller of this server's API with the staff key (when there is one) as x-functions-key. <c>rejected(status,
   * method)</c> says whether an answer means the key (or sign-in) is not accepted: then <c>onRejected()</c> runs and
   * the call fails with <c>keyRejected()</c>'s text. A text/csv answer comes back as { text, disposition, type }.
   */
  function client({ key, credentials, rejected, onRejected, networkError, keyRejected }) {
    return async function api(path, { method = 'GET', body, accept = 'application/json' } = {}) {
      const headers = { accept };
      const k = key();
      if (k) headers['x-functions-key'] = k;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response;
      try {
        response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials });
      } catch {
        throw new ApiError(0, networkError());
      }
      if (rejected(response.status, method)) {
        onRejected();
        throw new ApiError(response.status, keyRejected());
      }
      if (!response.ok) {
        let detail = response.statusText;
        let code = null;
        try {
          const problem = await response.json();
          code = problem.code || null;
          detail = problem.detail || problem.title || detail;
          if (problem.errors) detail += ' ' + Object.entries(problem.errors).map(([f, v]) => `${f}: ${[].concat(v).join(' ')}`).join('; ');
        } catch {
          // not a problem document
        }
        throw new ApiError(response.status, detail, code);
      }
      if (accept === 'text/csv') {
        return { text: await response.text(), disposition: response.headers.get('content-disposition'), type: response.headers.get('content-type') || '' };
      }
      return response.json();
    };
  }

  window.HotlineStaff = Object.freeze({ KEY_STORE, LANG_STORE, $, strings, LONG_TERM_STRINGS, cst, dateTime, setAttrs, append, h, fill, notice, alertText, ApiError, client });
})();
