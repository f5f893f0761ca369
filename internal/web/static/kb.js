// Buttons with data-insert add their text to the textarea named by
// data-target (the request page's "insert link" of a suggested article).
document.addEventListener("click", function (e) {
  var b = e.target.closest("button[data-insert]");
  if (!b) return;
  var t = document.getElementById(b.getAttribute("data-target"));
  if (!t) return;
  var text = b.getAttribute("data-insert");
  t.value = t.value && !/\s$/.test(t.value) ? t.value + "\n" + text : t.value + text;
  t.focus();
});
