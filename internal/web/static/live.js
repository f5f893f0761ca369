// The request page's macro picker: "Insert" adds the chosen macro's text
// (rendered for this request) at the cursor of the reply box, keeping
// what was typed. The choice stays selected, so sending the reply also
// makes the macro's field changes.
document.addEventListener("click", function (e) {
  var b = e.target.closest("#macro-insert");
  if (!b) return;
  var sel = document.getElementById("macro-select");
  var t = document.getElementById("reply-body");
  if (!sel || !t) return;
  var opt = sel.options[sel.selectedIndex];
  var text = opt ? opt.getAttribute("data-text") : "";
  if (!text) return;
  var start = t.selectionStart, end = t.selectionEnd;
  if (typeof start !== "number" || document.activeElement !== t && start === 0 && end === 0) {
    start = end = t.value.length;
  }
  var before = t.value.slice(0, start), after = t.value.slice(end);
  if (before && !/\s$/.test(before)) before += "\n";
  t.value = before + text + after;
  t.focus();
  var at = (before + text).length;
  t.setSelectionRange(at, at);
  t.dispatchEvent(new Event("input", { bubbles: true }));
});

// liveStream is the page's one connection to the live event stream,
// shared by the request page's banner and the header's count (a browser
// keeps few connections per site open).
var liveStream = (function () {
  var es;
  return function () {
    if (!es) {
      es = new EventSource("/api/v1/events/stream");
      window.addEventListener("pagehide", function () { es.close(); });
    }
    return es;
  };
})();

// The header's unread count follows the staff user's notifications
// without a reload: a colleague's mention adds one, reading them on
// another page clears it. The count's text and the link's label change
// together.
(function () {
  var link = document.getElementById("notices-link");
  if (!link || !window.EventSource) return;
  var es = liveStream();
  // Say when the count listens (a browser test waits for it).
  es.addEventListener("ready", function () { link.setAttribute("data-live", "ready"); });
  es.addEventListener("inbox.changed", function (e) {
    var n = JSON.parse(e.data).unread || 0;
    var count = link.querySelector(".count");
    if (n > 0) {
      if (!count) {
        count = document.createElement("span");
        count.className = "count";
        count.setAttribute("aria-hidden", "true");
        link.appendChild(document.createTextNode(" "));
        link.appendChild(count);
      }
      count.textContent = String(n);
      link.setAttribute("aria-label", link.getAttribute("data-label-unread").replace("%d", String(n)));
    } else {
      if (count) count.remove();
      link.setAttribute("aria-label", link.getAttribute("data-label"));
    }
    link.setAttribute("data-unread", String(n));
  });
})();

// Live updates on the request page: when someone else changes the
// request, a banner says so (the page is not reloaded, so a reply being
// typed stays; "Show the changes" keeps it in the browser across the
// reload). While the agent types, the page says so to the others, at
// most every 5 seconds; their "X is replying" shows for 8 seconds.
(function () {
  var banner = document.getElementById("live-banner");
  if (!banner) return;
  var number = banner.getAttribute("data-number");
  var me = banner.getAttribute("data-me");
  var reply = document.getElementById("reply-body");
  var key = "aftercare-draft:" + number;
  try {
    var kept = sessionStorage.getItem(key);
    if (kept !== null) {
      sessionStorage.removeItem(key);
      if (reply && !reply.value) reply.value = kept;
    }
  } catch (e) {}
  var reload = document.getElementById("live-reload");
  if (reload) {
    reload.addEventListener("click", function () {
      try {
        if (reply && reply.value) sessionStorage.setItem(key, reply.value);
      } catch (e) {}
    });
  }
  if (!window.EventSource) return;
  var mine = function (d) { return d.by_kind === "staff" && String(d.by_id) === me; };
  var es = liveStream();
  // Say when the page is listening (a browser test waits for it).
  es.addEventListener("ready", function () { banner.setAttribute("data-live", "ready"); });
  es.addEventListener("request.updated", function (e) {
    var d = JSON.parse(e.data);
    if (d.number !== number || mine(d)) return;
    document.getElementById("live-text").textContent = banner.getAttribute("data-changed").replace("%s", d.by || "?");
    banner.hidden = false;
  });
  var typing = document.getElementById("live-typing");
  var hide;
  es.addEventListener("request.typing", function (e) {
    var d = JSON.parse(e.data);
    if (!typing || d.number !== number || mine(d)) return;
    typing.textContent = typing.getAttribute("data-typing").replace("%s", d.by || "?");
    typing.hidden = false;
    clearTimeout(hide);
    hide = setTimeout(function () { typing.hidden = true; }, 8000);
  });
  window.addEventListener("pagehide", function () { es.close(); });
  if (!reply) return;
  var last = 0;
  reply.addEventListener("input", function () {
    var now = Date.now();
    if (now - last < 5000) return;
    last = now;
    fetch("/requests/" + encodeURIComponent(number) + "/typing", { method: "POST", credentials: "same-origin" }).catch(function () {});
  });
})();
