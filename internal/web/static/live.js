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
