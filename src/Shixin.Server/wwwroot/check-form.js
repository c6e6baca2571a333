// The unit's check form: shows only the context fields the chosen scenario asks for, and the officer rows only
// for an organization. Without script every field shows; the server reads only the chosen scenario's fields.
(function () {
  "use strict";
  var scenario = document.getElementById("Scenario");
  var kind = document.getElementById("IdKind");
  var officers = document.getElementById("officers");
  var context = document.getElementById("context-fields");
  if (!scenario || !context) return;
  function update() {
    var any = false;
    var fields = context.querySelectorAll("[data-scenarios]");
    for (var i = 0; i < fields.length; i++) {
      var on = (" " + fields[i].getAttribute("data-scenarios") + " ").indexOf(" " + scenario.value + " ") >= 0;
      fields[i].hidden = !on;
      var inputs = fields[i].querySelectorAll("select, input");
      for (var j = 0; j < inputs.length; j++) inputs[j].disabled = !on;
      any = any || on;
    }
    context.hidden = !any;
    if (officers && kind) officers.hidden = kind.value !== "credit";
  }
  scenario.addEventListener("change", update);
  if (kind) kind.addEventListener("change", update);
  update();
})();
