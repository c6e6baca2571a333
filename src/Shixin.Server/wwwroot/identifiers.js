// Validates ID numbers (GB 11643, MOD 11-2) and unified social credit codes (GB 32100, MOD 31) as they are typed.
// The server validates again; this only helps the clerk. Inputs opt in with data-check="id" or data-check="uscc"
// and name their message element with aria-describedby.
(function () {
  "use strict";
  var W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  function idValid(v) {
    if (!/^\d{17}[\dX]$/.test(v)) return false;
    var s = 0;
    for (var i = 0; i < 17; i++) s += (v.charCodeAt(i) - 48) * W[i];
    return "10X98765432".charAt(s % 11) === v.charAt(17);
  }
  var A = "0123456789ABCDEFGHJKLMNPQRTUWXY", CW = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  function usccValid(v) {
    if (v.length !== 18) return false;
    var s = 0;
    for (var i = 0; i < 17; i++) { var c = A.indexOf(v.charAt(i)); if (c < 0) return false; s += c * CW[i]; }
    var check = (31 - (s % 31)) % 31;
    return A.charAt(check) === v.charAt(17);
  }
  function update(input) {
    var v = input.value.trim().toUpperCase();
    var out = document.getElementById(input.getAttribute("aria-describedby"));
    if (!out) return;
    if (v === "") { out.textContent = ""; out.className = "hint"; input.removeAttribute("aria-invalid"); return; }
    var ok = input.dataset.check === "id" ? idValid(v) : usccValid(v);
    out.textContent = ok ? out.dataset.valid : out.dataset.invalid;
    out.className = ok ? "hint valid" : "hint invalid";
    input.setAttribute("aria-invalid", ok ? "false" : "true");
  }
  document.querySelectorAll("input[data-check]").forEach(function (input) {
    input.addEventListener("input", function () { update(input); });
    update(input);
  });
})();
