/* Station finder: ask the browser for a position on a tap and reload with ?lat=&lng= (rounded to about
   100 m, so the page stays cacheable and the exact position never leaves the phone). */
(function () {
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  var script = document.currentScript;
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = script.dataset.wait;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        var params = new URLSearchParams();
        params.set("lat", pos.coords.latitude.toFixed(3));
        params.set("lng", pos.coords.longitude.toFixed(3));
        window.location.search = params.toString();
      },
      function () { status.textContent = script.dataset.denied; },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();
