// Small page behaviours, kept out of the HTML so the Content-Security-Policy can forbid inline script.
// data-action="print" prints the page; data-action="back" goes back in history (its href is the fallback).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var el = e.target instanceof Element ? e.target.closest("[data-action]") : null;
    if (!el) return;
    var action = el.getAttribute("data-action");
    if (action === "print") {
      e.preventDefault();
      window.print();
    } else if (action === "back" && window.history.length > 1) {
      e.preventDefault();
      window.history.back();
    }
  });
})();
