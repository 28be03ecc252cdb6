// The desk's few behaviours, here rather than in inline handlers: the Content-Security-Policy runs no
// inline script and no eval (htmx's hx-on and trigger filters are both eval).
(function () {
  "use strict";

  // Controls that stand in for script (a "Find" button that reloads the page) hide once it runs.
  document.documentElement.classList.add("js");

  // <select data-submit-on-change>: choosing is sending (the language menu); a button does it without script.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-submit-on-change]")) event.target.form.requestSubmit();
  });

  // <input data-enter-stays>: Enter searches as you type instead of sending the whole form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("input[data-enter-stays]")) event.preventDefault();
  });

  // <div data-refresh-every="30" data-refresh-switch="auto-refresh" hx-trigger="refresh">: asks for itself
  // again every N seconds and when the tab comes back into sight, only while the switch is on (WCAG 2.2.2),
  // never while the tab is hidden or the keyboard is inside it (the focus would be lost).
  function refreshable() {
    return document.querySelector("[data-refresh-every]");
  }
  function mayRefresh(region) {
    var toggle = document.getElementById(region.dataset.refreshSwitch);
    return document.visibilityState === "visible" && (!toggle || toggle.checked) &&
      !region.contains(document.activeElement);
  }
  function refresh() {
    var region = refreshable();
    if (region && mayRefresh(region)) window.htmx.trigger(region, "refresh");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var region = refreshable();
    if (region) window.setInterval(refresh, Number(region.dataset.refreshEvery) * 1000);
  });
  document.addEventListener("visibilitychange", refresh);
  // A refresh already on its way when the keyboard entered the region is dropped; the next one brings the news.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = event.detail.elt;
    if (region.hasAttribute("data-refresh-every") && region.contains(document.activeElement)) {
      event.detail.shouldSwap = false;
    }
  });
})();
