// The agent console's keyboard: j/k move through the queue, o or Enter
// open the current request, x ticks it for the bulk bar (whose "select
// all" box and count live here too), r and n start a
// reply or an internal note on a request page, / searches, ? lists the
// keys. Keys typed into a field are left alone.
(function () {
  "use strict";
  var current = -1;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
  }

  function mark(i) {
    var rs = rows();
    if (!rs.length) return;
    current = Math.max(0, Math.min(i, rs.length - 1));
    rs.forEach(function (r, k) { r.classList.toggle("kb-current", k === current); });
    rs[current].scrollIntoView({ block: "nearest" });
    var link = rs[current].querySelector("a");
    if (link) link.focus({ preventScroll: true });
  }

  function startReply(internal) {
    var box = document.getElementById("reply-body");
    if (!box) return false;
    var radio = document.querySelector('#reply-form input[name="visibility"][value="' + (internal ? "internal" : "public") + '"]');
    if (radio) radio.checked = true;
    box.focus();
    return true;
  }

  // The bulk bar: a "select all on this page" box in the table's head
  // ticks every row, and the bar says how many are ticked. Both need
  // scripts, so the page shows them only from here.
  function rowBoxes() {
    return Array.prototype.slice.call(document.querySelectorAll('table.queue tbody input[type="checkbox"][name="n"]'));
  }

  // The count's sentences are in data-zero, data-single and data-many
  // (not data-one: html/template reads data-on… as an event handler).
  function syncBulk() {
    var all = document.getElementById("bulk-all");
    var count = document.getElementById("bulk-count");
    var boxes = rowBoxes();
    var n = boxes.filter(function (b) { return b.checked; }).length;
    if (all) {
      all.checked = n > 0 && n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
    if (count) {
      var text = n === 0 ? count.dataset.zero : n === 1 ? count.dataset.single : count.dataset.many;
      count.textContent = text.replace("%d", String(n));
    }
  }

  function initBulk() {
    var all = document.getElementById("bulk-all");
    if (all) {
      all.parentNode.hidden = false;
      var plain = document.getElementById("bulk-all-nojs");
      if (plain) plain.hidden = true;
    }
    var count = document.getElementById("bulk-count");
    if (count) count.hidden = false;
    syncBulk();
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.id === "bulk-all") {
      rowBoxes().forEach(function (b) { b.checked = t.checked; });
      syncBulk();
    } else if (t.name === "n" && t.closest("table.queue")) {
      syncBulk();
    }
  });

  // After htmx replaces the queue's results, start again from the top.
  document.addEventListener("htmx:afterSwap", function () { current = -1; initBulk(); });
  initBulk();

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var help = document.getElementById("kb-help");
    var done = true;
    switch (e.key) {
      case "j": mark(current + 1); break;
      case "k": mark(current - 1); break;
      case "Enter":
        // A focused link or button does its own thing.
        if (t && /^(A|BUTTON|SUMMARY)$/.test(t.tagName)) { done = false; break; }
        // falls through
      case "o":
        var rs = rows();
        if (current < 0 || !rs[current]) { done = false; break; }
        var a = rs[current].querySelector("a");
        if (a) window.location.href = a.href;
        break;
      case "x":
        var row = rows()[current];
        var box = row && row.querySelector('input[type="checkbox"]');
        if (box) { box.checked = !box.checked; syncBulk(); } else done = false;
        break;
      case "r": done = startReply(false); break;
      case "n": done = startReply(true); break;
      case "/":
        var q = document.getElementById("queue-q");
        if (q) q.focus(); else window.location.href = "/queue#queue-q";
        break;
      case "?":
        if (help && help.showModal && !help.open) help.showModal();
        break;
      default: done = false;
    }
    if (done) e.preventDefault();
  });

  if (window.location.hash === "#queue-q") {
    var q = document.getElementById("queue-q");
    if (q) q.focus();
  }
})();
