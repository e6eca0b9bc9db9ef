// The scan page (/app/scan/): queue on the phone, send when online, show what became of every scan.
// A scan leaves the queue only when the server has answered it (credited, held for review, or refused
// with a reason, which stays in the log); a network error, a server error or an expired login keep it.
(function () {
  "use strict";
  var box = document.getElementById("scan");
  if (!box) return;
  var msg = box.dataset, QUEUE = "zhiyuan.scanQueue", LOG = "zhiyuan.scanLog";
  var status = document.getElementById("scan-status");
  var queueList = document.getElementById("scan-queue"), logList = document.getElementById("scan-log");
  var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"]) || "";
  // the code comes from the scanned address; a page served offline from the cache keeps its own query
  var token = new URLSearchParams(window.location.search).get("t") || box.dataset.token || "";
  var sending = false;

  function read(name) { try { return JSON.parse(localStorage.getItem(name) || "[]"); } catch (e) { return []; } }
  function write(name, rows) { localStorage.setItem(name, JSON.stringify(rows)); render(); }
  function local(iso) { var d = new Date(iso); return isNaN(d) ? iso : d.toLocaleString(); }
  function kindText(kind) { return kind === "in" ? msg.msgIn : msg.msgOut; }

  function line(parent, text, cls) {
    var li = document.createElement("li");
    li.textContent = text;
    if (cls) li.className = cls;
    parent.appendChild(li);
  }
  function render() {
    queueList.innerHTML = "";
    read(QUEUE).forEach(function (s) { line(queueList, kindText(s.kind) + " " + local(s.at) + " · " + msg.msgQueued, "queued"); });
    logList.innerHTML = "";
    read(LOG).slice(-20).reverse().forEach(function (r) { line(logList, r.text, "outcome-" + r.outcome); });
  }

  function describe(scan, body) {
    var where = [body.shift_title, body.station_name].filter(Boolean).join(" · ");
    var head = kindText(scan.kind) + " " + local(body.at) + (where ? " · " + where : "");
    if (body.status === "held") return {outcome: "held", text: head + " · " + msg.msgHeld + "：" + body.flagged};
    if (body.status === "signed_in") return {outcome: "signed_in", text: head + " · " + msg.msgSignedIn};
    var text = head + " · " + msg.msgCredited + " " + (body.hours || "0") + " h";
    if (body.status === "pending") text += "；" + msg.msgPending + " " + body.pending_hours + " h";
    return {outcome: body.status, text: text};
  }
  function reason(body, code) {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && body.message) return body.message;
    if (body && Array.isArray(body.detail) && body.detail.length) return body.detail[0].msg || String(code);
    return String(code);
  }
  function answered(scan, entry) {
    write(QUEUE, read(QUEUE).filter(function (s) { return s.key !== scan.key; }));
    var log = read(LOG); log.push({key: scan.key, outcome: entry.outcome, text: entry.text});
    write(LOG, log.slice(-50));
    status.textContent = entry.text;
  }

  function flush() {
    var q = read(QUEUE);
    if (!q.length || sending) return;
    var scan = q[0];
    sending = true;
    fetch(msg.endpoint, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: JSON.stringify(scan)})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) { return {code: r.status, body: body}; });
      })
      .then(function (res) {
        sending = false;
        if (res.code === 200 || res.code === 201) { answered(scan, describe(scan, res.body)); return flush(); }
        if (res.code === 401 || (res.code === 403 && !res.body.detail && !res.body.message)) { status.textContent = msg.msgLogin; return; }
        if (res.code >= 400 && res.code < 500) {
          answered(scan, {outcome: "refused", text: kindText(scan.kind) + " " + local(scan.at) + " · " + msg.msgRefused + "：" + reason(res.body, res.code)});
          return flush();
        }
        status.textContent = msg.msgQueued;  // the server failed: keep it and try again later
      })
      .catch(function () { sending = false; status.textContent = msg.msgQueued; });
  }

  // Only with the volunteer's location consent (the server drops a position sent without it); a refused
  // or slow position never holds the scan up: it is queued without one.
  function locate(done) {
    if (!box.dataset.locate || !navigator.geolocation) return done(null);
    var once = false;
    function finish(pos) { if (!once) { once = true; done(pos); } }
    setTimeout(function () { finish(null); }, 6000);
    navigator.geolocation.getCurrentPosition(function (p) { finish(p.coords); }, function () { finish(null); },
      {enableHighAccuracy: true, timeout: 5000, maximumAge: 60000});
  }
  function uuid() { return (window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[-.]/g, ""); }

  var buttons = box.querySelectorAll("button[data-kind]");
  if (!token) {
    document.getElementById("scan-notoken").hidden = false;
    buttons.forEach(function (b) { b.disabled = true; });
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      // the phone's time of the scan: the server uses it only for a scan that arrives late (offline)
      var scan = {key: uuid(), kind: b.dataset.kind, token: token, at: new Date().toISOString()};
      locate(function (coords) {
        if (coords) { scan.latitude = coords.latitude; scan.longitude = coords.longitude; }
        var q = read(QUEUE); q.push(scan); write(QUEUE, q); flush();
      });
    });
  });
  window.addEventListener("online", flush);
  setInterval(flush, 30000);

  // installable: the service worker keeps the page and its files for opening offline
  if ("serviceWorker" in navigator && box.dataset.sw) {
    navigator.serviceWorker.register(box.dataset.sw, {scope: box.dataset.scope}).catch(function () {});
  }
  var install = document.getElementById("scan-install"), deferred = null;
  window.addEventListener("beforeinstallprompt", function (e) { e.preventDefault(); deferred = e; install.hidden = false; });
  install.addEventListener("click", function () {
    if (!deferred) return;
    deferred.prompt(); deferred = null; install.hidden = true;
  });

  render(); flush();
})();
