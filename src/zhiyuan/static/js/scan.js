/* Check-in / check-out page (hours/checkin/scan.html): scans queue on the phone and are sent when the
   network answers, each with its own idempotency key, so a retried scan is never counted twice. */
(function () {
  "use strict";
  // The queue lives on the phone: a scan is kept until the server has answered it, then dropped.
  var box = document.getElementById("scan");
  if (!box) return;
  var status = document.getElementById("scan-status");
  var list = document.getElementById("scan-queue"), KEY = "zhiyuan.scanQueue";
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  var messages = {sent: box.dataset.sent, queued: box.dataset.queued};
  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(KEY, JSON.stringify(q)); render(q); }
  function render(q) {
    list.innerHTML = "";
    q.forEach(function (s) { var li = document.createElement("li"); li.textContent = s.kind + " " + s.at; list.appendChild(li); });
  }
  function uuid() { return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/-/g, ""); }
  function flush() {
    var q = load(); if (!q.length) return;
    var scan = q[0];
    fetch(box.dataset.endpoint, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: JSON.stringify(scan)})
      .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, code: r.status, body: body}; }); })
      .then(function (res) {
        save(load().filter(function (s) { return s.key !== scan.key; }));  // answered: keep no longer
        status.textContent = res.ok ? messages.sent + (res.body.hours ? "（" + res.body.hours + " h）" : "")
                                    : (res.body.detail && res.body.detail.length ? (res.body.detail[0].msg || res.body.detail) : res.code);
        flush();
      })
      .catch(function () { status.textContent = messages.queued; });  // offline: try again later
  }
  // Only with the volunteer's location consent (the server drops a position sent without it); a refused
  // or slow position never holds the scan up: it is queued without one.
  function locate(done) {
    if (!box.dataset.locate || !navigator.geolocation) return done(null);
    var answered = false;
    function once(pos) { if (!answered) { answered = true; done(pos); } }
    setTimeout(function () { once(null); }, 6000);
    navigator.geolocation.getCurrentPosition(function (p) { once(p.coords); }, function () { once(null); },
      {enableHighAccuracy: true, timeout: 5000, maximumAge: 60000});
  }
  box.querySelectorAll("button[data-kind]").forEach(function (b) {
    b.addEventListener("click", function () {
      var scan = {key: uuid(), kind: b.dataset.kind, token: box.dataset.token, at: new Date().toISOString()};
      locate(function (coords) {
        if (coords) { scan.latitude = coords.latitude; scan.longitude = coords.longitude; }
        var q = load(); q.push(scan); save(q); flush();
      });
    });
  });
  window.addEventListener("online", flush);
  render(load()); flush();
})();
