// The consult page: while the consult form holds changes that are not saved, the protocol
// cannot be issued, because issuing issues the saved consult and its check, not what is
// on screen. The server refuses a changed check anyway (409); this says so before a click.
(function () {
  "use strict";

  function state(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") {
        pairs.push(name + "=" + value);
      }
    });
    return pairs.join("&");
  }

  function start() {
    var form = document.getElementById("consult-form");
    var button = document.getElementById("issue-button");
    var reason = document.getElementById("issue-unsaved");
    if (!form || !button || !reason || button.disabled) {
      return;  // nothing to issue, or the page already shows unsaved changes
    }
    var saved = state(form);
    function update() {
      var dirty = state(form) !== saved;
      button.disabled = dirty;
      reason.hidden = !dirty;
      if (dirty) {
        button.setAttribute("aria-describedby", "issue-unsaved");
      } else {
        button.removeAttribute("aria-describedby");
      }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
