// Errors the server found go away as the user corrects them, not only on the next save:
// once an input with an error holds a different value that the browser's own checks
// accept (and is filled in, when required), its message, its aria-invalid and its item
// in the error summary are removed. The summary's heading then says what is left, and
// the summary goes when nothing is. Saving validates everything again.
(function () {
  "use strict";

  function valueOf(input) {
    return input.type === "checkbox" ? String(input.checked) : input.value;
  }

  function summary() {
    return document.querySelector(".error-summary");
  }

  function updateSummary() {
    var box = summary();
    if (!box) {
      return;
    }
    if (!box.querySelector("li")) {
      box.remove();
      return;
    }
    var remaining = document.querySelector("[data-errors-remaining]");
    var heading = box.querySelector("h2");
    if (remaining && heading) {
      heading.textContent = remaining.dataset.errorsRemaining;
    }
  }

  function clear(wrapper, input) {
    wrapper.classList.remove("has-error");
    var message = document.getElementById(input.id + "_error");
    if (message) {
      message.remove();
    }
    input.removeAttribute("aria-invalid");
    var described = (input.getAttribute("aria-describedby") || "")
      .split(/\s+/)
      .filter(function (id) { return id && id !== input.id + "_error"; });
    if (described.length) {
      input.setAttribute("aria-describedby", described.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
    var box = summary();
    if (box) {
      box.querySelectorAll("a[href='#" + input.id + "']").forEach(function (link) {
        link.closest("li").remove();
      });
      updateSummary();
    }
  }

  function watch(wrapper) {
    var input = wrapper.querySelector("input, select, textarea");
    if (!input || !input.id) {
      return;
    }
    var wrong = valueOf(input);
    var required = Boolean(wrapper.querySelector("label .required"));
    function check() {
      var value = valueOf(input);
      if (value === wrong || (required && !value) || !input.checkValidity()) {
        return;
      }
      input.removeEventListener("input", check);
      input.removeEventListener("change", check);
      clear(wrapper, input);
    }
    input.addEventListener("input", check);
    input.addEventListener("change", check);
  }

  function start() {
    document.querySelectorAll(".field.has-error").forEach(watch);
    // lines.js removed a line, and with it the summary's items about it.
    document.addEventListener("gutbrain:errors-changed", updateSummary);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
