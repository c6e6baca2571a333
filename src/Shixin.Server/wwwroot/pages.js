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

// <select data-filters="otherId">: the other select offers only the options whose data-for names this select's value
// (the exit form's reasons by exit kind; the server decides the same rule and refuses any other pair).
(function () {
  "use strict";
  function apply(source) {
    var target = document.getElementById(source.getAttribute("data-filters"));
    if (!target) return;
    var firstFit = null, keep = false;
    Array.prototype.forEach.call(target.options, function (o) {
      var fits = o.getAttribute("data-for") === source.value;
      o.hidden = !fits;
      o.disabled = !fits;
      if (fits && !firstFit) firstFit = o;
      if (fits && o.selected) keep = true;
    });
    if (!keep && firstFit) firstFit.selected = true;
  }
  document.addEventListener("change", function (e) {
    if (e.target instanceof HTMLSelectElement && e.target.hasAttribute("data-filters")) apply(e.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-filters]"), apply);
  });
})();
