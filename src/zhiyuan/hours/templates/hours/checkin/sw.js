// The scan app's service worker (scope /app/scan/): the page and its files are kept, so the app opens
// offline; scans themselves are queued by the page (static/js/scan.js), never by the worker.
var CACHE = "zhiyuan-scan-{{ version }}";
var PAGE = "{{ page }}";
var FILES = {{ files|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(FILES).then(function () {
      return fetch(PAGE, {credentials: "same-origin"}).then(function (r) { if (r.ok && !r.redirected) return cache.put(PAGE, r); });
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("zhiyuan-scan-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === PAGE) {
    // online: the fresh page (and keep it); offline: the kept one, whatever code is in the address
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(PAGE, copy); });
      }
      return response;
    }).catch(function () { return caches.match(PAGE, {ignoreSearch: true}); }));
    return;
  }
  if (FILES.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
  }
});
