// The customer portal installs as a web app: the service worker shows an
// offline page when the network is down. (What a customer types is kept
// by drafts.js, as on the staff pages.)
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/portal/sw.js", { scope: "/portal" }).catch(function () {});
    // The worker keeps the offline page in the language of this page.
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ lang: document.documentElement.lang });
    });
  }
})();
