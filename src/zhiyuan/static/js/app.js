/* Behaviour every page shares, bound by data attributes instead of inline handlers (the
   Content-Security-Policy allows scripts from this site's static files only). Delegated from the
   document, so content htmx swaps in works without binding again.
     <form data-confirm="…">            asks before submitting
     <button data-confirm="…">          asks before its click submits
     <select data-autosubmit>           submits its form on change
     <button data-print>                prints the page
     <input data-select-on-focus>       selects its text on focus (feed addresses to copy)
     <button data-toggle-subtree>       shows or hides the <ul> of its <li> (organisation tree)
     <a data-back>                      goes back in history (its href is the fallback)
     <div hx-trigger="every 30s" data-poll-pause-when="selector">
                                        skips a poll while something matches (a box ticked, a field
                                        being typed in): htmx's [filter] syntax needs eval, which the
                                        CSP forbids */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var confirmer = target.closest("button[data-confirm], input[data-confirm]");
    if (confirmer && !window.confirm(confirmer.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    var back = target.closest("a[data-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
      return;
    }
    var toggle = target.closest("button[data-toggle-subtree]");
    if (toggle) {
      var list = toggle.closest("li").querySelector(":scope > ul");
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      if (list) list.hidden = open;
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
      if (select.form.requestSubmit) select.form.requestSubmit(); else select.form.submit();
    }
  });
  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-select-on-focus")) input.select();
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail && event.detail.elt;
    var busy = source && source.getAttribute && source.getAttribute("data-poll-pause-when");
    if (busy && document.querySelector(busy)) event.preventDefault();
  });
})();
