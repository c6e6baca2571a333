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

// Long uploads (court import, unit batch check): a form with data-progress is sent by XMLHttpRequest so the page can
// show how much of the file has gone up, then that the server is working through it, with the time taken so far; the
// submit button stays disabled until the answer replaces the page. Without script the form posts as usual.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-progress]");
  for (var i = 0; i < forms.length; i++) wire(forms[i]);
  function wire(form) {
    var box = document.getElementById(form.getAttribute("data-progress"));
    if (!box || !window.FormData || !window.XMLHttpRequest) return;
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    form.addEventListener("submit", function (e) {
      if (!form.checkValidity()) return;
      e.preventDefault();
      var buttons = form.querySelectorAll("button, input[type=submit]");
      for (var b = 0; b < buttons.length; b++) { buttons[b].disabled = true; buttons[b].setAttribute("aria-disabled", "true"); }
      form.setAttribute("aria-busy", "true");
      box.hidden = false;
      var started = Date.now();
      var uploading = box.getAttribute("data-uploading") || "";
      var working = box.getAttribute("data-working") || "";
      var timer = null;
      function seconds() { return Math.round((Date.now() - started) / 1000); }
      function say(s) { if (text) text.textContent = s; }
      say(uploading.replace("{0}", "0"));
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.pathname + window.location.search);
      xhr.upload.addEventListener("progress", function (p) {
        if (!p.lengthComputable) return;
        var pct = Math.floor(p.loaded * 100 / p.total);
        if (bar) { bar.max = 100; bar.value = pct; }
        say(uploading.replace("{0}", String(pct)));
      });
      xhr.upload.addEventListener("load", function () {
        // The file is up; the server reads and checks it line by line before it answers.
        if (bar) { bar.removeAttribute("value"); }
        say(working.replace("{0}", String(seconds())));
        timer = window.setInterval(function () { say(working.replace("{0}", String(seconds()))); }, 1000);
      });
      xhr.addEventListener("load", function () {
        if (timer) window.clearInterval(timer);
        // The answer is the whole page with its result: show it as a normal post would.
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        if (timer) window.clearInterval(timer);
        say(box.getAttribute("data-failed") || "");
        for (var b = 0; b < buttons.length; b++) { buttons[b].disabled = false; buttons[b].removeAttribute("aria-disabled"); }
        form.removeAttribute("aria-busy");
      });
      xhr.send(new FormData(form));
    });
  }
})();

// The complaint form: units are found by part of their name as the reader types (GET /complaint?handler=units&unit=…),
// shown as a short list of choices; without script the finder form submits and the page lists the matches.
(function () {
  "use strict";
  var input = document.getElementById("unit-q");
  var options = document.getElementById("unit-options");
  if (!input || !options) return;
  var hidden = document.querySelector("form input[type=hidden][name=unit]");
  var legend = options.querySelector("legend");
  var pending = null;
  var last = null;
  function render(units, q) {
    var checked = options.querySelector("input[name=againstOrganization]:checked");
    var keep = checked ? checked.value : null;
    while (options.lastChild && options.lastChild !== legend) options.removeChild(options.lastChild);
    var hint = document.createElement("p");
    hint.className = "hint";
    if (units.length === 0) {
      hint.id = "unit-none";
      hint.textContent = q ? (options.getAttribute("data-none") || "").replace("{0}", q) : options.getAttribute("data-find");
      options.appendChild(hint);
      return;
    }
    hint.textContent = options.getAttribute("data-pick");
    options.appendChild(hint);
    for (var i = 0; i < units.length; i++) {
      var label = document.createElement("label");
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "againstOrganization";
      radio.value = units[i].code;
      radio.required = true;
      radio.checked = units[i].code === keep || units.length === 1;
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + units[i].name));
      options.appendChild(label);
    }
  }
  function find() {
    var q = input.value.trim();
    if (hidden) hidden.value = q;
    if (q === last) return;
    last = q;
    if (!q) { render([], ""); return; }
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/complaint?handler=units&unit=" + encodeURIComponent(q));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.addEventListener("load", function () {
      if (xhr.status !== 200 || q !== input.value.trim()) return;
      try { render(JSON.parse(xhr.responseText), q); } catch (err) { /* keep the list as it was */ }
    });
    xhr.send();
  }
  input.addEventListener("input", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(find, 250);
  });
  var finder = document.getElementById("unit-finder");
  if (finder) finder.addEventListener("submit", function (e) { e.preventDefault(); find(); });
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
