// Drafts: what a person types in a form marked data-draft (a reply, a
// new request) is kept in this browser until the form is accepted, so an
// expired session or a lost connection loses nothing. After signing in
// again the login brings the person back to the page, and the text is
// put back in the empty field. A page showing a success message means
// the last form sent from this tab was accepted: its drafts are dropped.
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) return;
  var key = function (form, field) { return "draft:" + location.pathname + ":" + (form.id || form.action) + ":" + field.name; };
  if (document.querySelector(".flash")) {
    var done = sessionStorage.getItem("draft:sent");
    if (done) {
      done.split("\n").forEach(function (k) { store.removeItem(k); });
      sessionStorage.removeItem("draft:sent");
    }
  }
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var fields = form.querySelectorAll("textarea, input[type=text]");
    fields.forEach(function (field) {
      var k = key(form, field);
      var saved = store.getItem(k);
      if (saved && !field.value) field.value = saved;
      field.addEventListener("input", function () {
        if (field.value) store.setItem(k, field.value); else store.removeItem(k);
      });
    });
    form.addEventListener("submit", function () {
      var keys = [];
      fields.forEach(function (f) {
        keys.push(key(form, f));
        if (f.value) store.setItem(key(form, f), f.value); // text set by a script (a macro) too
      });
      sessionStorage.setItem("draft:sent", keys.join("\n"));
    });
  });
})();
