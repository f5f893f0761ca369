// The customer portal: install as a web app (the service worker shows an
// offline page when the network is down), and keep what a customer types
// in a reply or a new request in this browser until it is sent, so that an
// expired session or a lost connection loses nothing.
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/portal/sw.js", { scope: "/portal/" }).catch(function () {});
  }
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) return;
  var key = function (form, field) { return "draft:" + location.pathname + ":" + (form.id || form.action) + ":" + field.name; };
  // A page showing a success message means the last form was accepted.
  if (document.querySelector(".flash")) {
    var done = sessionStorage.getItem("draft:sent");
    if (done) {
      done.split("\n").forEach(function (k) { store.removeItem(k); });
      sessionStorage.removeItem("draft:sent");
    }
  }
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    form.querySelectorAll("textarea, input[type=text]").forEach(function (field) {
      var k = key(form, field);
      var saved = store.getItem(k);
      if (saved && !field.value) field.value = saved;
      field.addEventListener("input", function () {
        if (field.value) store.setItem(k, field.value); else store.removeItem(k);
      });
    });
  });
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var keys = [];
      form.querySelectorAll("textarea, input[type=text]").forEach(function (f) { keys.push(key(form, f)); });
      sessionStorage.setItem("draft:sent", keys.join("\n"));
    });
  });
})();
