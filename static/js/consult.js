// The consult page: while the consult form holds changes that are not saved, the protocol
// cannot be issued, because issuing issues the saved consult and its check, not what is
// on screen. The server refuses a changed check anyway (409); this says so before a click.
(function () {
  "use strict";

  // What saving would send. A new line without a nutrient saves nothing, so adding an
  // empty line (lines.js) is not a change; nor is the count of lines that says so.
  function state(form) {
    var initial = Number((form.querySelector("[name$='-INITIAL_FORMS']") || {}).value || 0);
    var blank = {};
    new FormData(form).forEach(function (value, name) {
      var match = /^lines-(\d+)-nutrient$/.exec(name);
      if (match && Number(match[1]) >= initial && !value) {
        blank[match[1]] = true;
      }
    });
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      var line = /^lines-(\d+)-/.exec(name);
      if (name === "csrfmiddlewaretoken" || /-TOTAL_FORMS$/.test(name) || (line && blank[line[1]])) {
        return;
      }
      pairs.push(name + "=" + value);
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
