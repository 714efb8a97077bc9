/* Replica page renderer: builds the DOM from the JSON payload after a short,
 * deterministic delay, the way Meta's pages render client-side after load.
 * Node shape: {t: tag, c: classes, a: attributes, k: children, x: action, r: ref}.
 * Actions: ["nav", url] | ["pop", name] | ["swap", name] | ["expand", ref] |
 *          ["consent", "accept"|"decline"] | ["submit"] | ["login"].
 * No randomness, no clocks: two loads of the same page paint the same pixels. */
(function () {
  "use strict";
  var holder = document.querySelector("script[data-replica-payload]");
  var P = JSON.parse(holder.textContent);
  var S = P.state;
  var SVGNS = "http://www.w3.org/2000/svg";
  var refs = {};
  var rules = P.validate || {};
  var open = null; /* {name, el, trigger, mode, into, hidden: []} */
  var busy = false;

  function mapUrl(u) {
    var url = new URL(u, S.url);
    if (!S.direct || S.hosts.indexOf(url.hostname) < 0) { return url.href; }
    return S.prefix + url.hostname + url.pathname + url.search + url.hash;
  }

  function build(n, svg) {
    if (typeof n === "string") { return document.createTextNode(n); }
    var inSvg = svg || n.t === "svg";
    var e = inSvg ? document.createElementNS(SVGNS, n.t) : document.createElement(n.t);
    if (n.c) { e.setAttribute("class", n.c); }
    var a = n.a || {};
    Object.keys(a).forEach(function (k) {
      var v = a[k];
      if (v === false || v === null) { return; }
      if (k === "href" && !inSvg) { v = mapUrl(v); }
      e.setAttribute(k, v === true ? "" : String(v));
    });
    if (n.r) { refs[n.r] = e; }
    (n.k || []).forEach(function (ch) { e.appendChild(build(ch, inSvg && n.t !== "foreignObject")); });
    if (n.t === "input" && a.value !== undefined) { e.value = String(a.value); }
    if (n.x) { bind(e, n.x); }
    return e;
  }

  function bind(e, x) {
    e.addEventListener("click", function (ev) {
      ev.preventDefault();
      ev.stopPropagation();
      act(e, x);
    });
    if (!/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(e.tagName)) {
      e.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || (ev.key === " " && e.getAttribute("role") === "button")) {
          ev.preventDefault();
          e.click();
        }
      });
    }
  }

  function closePopup() {
    if (!open) { return; }
    open.el.remove();
    open.hidden.forEach(function (h) { h.style.display = ""; });
    if (open.trigger) { open.trigger.setAttribute("aria-expanded", "false"); }
    open = null;
  }

  function showPopup(name, trigger) {
    var spec = P.popups[name];
    var into = refs[spec.into];
    var el = build(spec.node);
    var hidden = [];
    if (spec.mode === "replace") {
      Array.prototype.forEach.call(into.children, function (ch) {
        if (ch.style.display !== "none") { ch.style.display = "none"; hidden.push(ch); }
      });
      window.scrollTo(0, 0);
    }
    into.appendChild(el);
    open = {name: name, el: el, trigger: trigger, mode: spec.mode, hidden: hidden};
    if (trigger) { trigger.setAttribute("aria-expanded", "true"); }
  }

  function setCookie(name, value) {
    var c = name + "=" + value + "; path=/; max-age=31536000";
    if (!S.direct) { c += "; domain=" + S.cookieDomain + "; secure; SameSite=None"; }
    document.cookie = c;
  }

  function showError(name, msg) {
    var box = refs["err:" + name];
    if (!box) { return; }
    box.textContent = msg || "";
    box.hidden = !msg;
  }

  function submit() {
    if (busy) { return; }
    var form = refs.form;
    var data = new URLSearchParams();
    var ok = true;
    form.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (f) {
      var v = f.value;
      var r = rules[f.name];
      var msg = "";
      if (r) {
        var trimmed = v.replace(/^\s+|\s+$/g, "");
        if ((r.required && !trimmed) || (r.min && trimmed.length < r.min) ||
            (r.pattern && !(new RegExp(r.pattern)).test(trimmed))) {
          msg = r.message;
        }
      }
      showError(f.name, msg);
      if (msg) {
        if (ok) { f.focus(); }
        ok = false;
      }
      data.append(f.name, v);
    });
    if (!ok) { return; }
    busy = true;
    fetch(location.href, {
      method: "POST",
      credentials: "include",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: data.toString()
    }).then(function (r) { return r.json(); }).then(function (j) {
      busy = false;
      if (!j.node) { showError("_form", j.error || S.sendError); return; }
      rules = j.validate || {};
      form.replaceChildren(build(j.node));
      if (j.title) { document.title = j.title; }
      window.scrollTo(0, 0);
    }, function () {
      busy = false;
      showError("_form", S.sendError);
    });
  }

  function act(e, x) {
    var kind = x[0];
    if (kind === "nav") {
      closePopup();
      location.href = mapUrl(x[1]);
    } else if (kind === "pop") {
      if (open && open.name === x[1]) { closePopup(); } else { closePopup(); showPopup(x[1], e); }
    } else if (kind === "swap") {
      var trigger = open ? open.trigger : null;
      closePopup();
      showPopup(x[1], trigger);
    } else if (kind === "expand") {
      var t = refs[x[1]];
      t.hidden = !t.hidden;
      e.setAttribute("aria-expanded", t.hidden ? "false" : "true");
    } else if (kind === "consent") {
      setCookie(S.consentCookie, "1");
      if (refs.consent) { refs.consent.remove(); }
    } else if (kind === "submit") {
      submit();
    } else if (kind === "login") {
      S.sessionCookies.forEach(function (c) { setCookie(c[0], c[1]); });
      location.reload();
    }
  }

  document.addEventListener("click", function (ev) {
    if (open && open.mode === "append" && !open.el.contains(ev.target)) { closePopup(); }
  });

  function render() {
    var mount = document.getElementById(S.mount);
    mount.appendChild(build(P.root));
    document.documentElement.setAttribute("data-replica-ready", "1");
  }

  function start() { window.setTimeout(render, S.delay); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
