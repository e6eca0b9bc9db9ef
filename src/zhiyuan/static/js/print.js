// A print button without an inline handler (the pages run under a CSP without 'unsafe-inline').
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
