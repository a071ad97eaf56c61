// Supplement lines of a consult or a template (templates/practice/_lines.html): adding or
// removing a line changes the page in place, never reloads it.
//
// - "Add a line" clones the formset's empty form (the <template>) as line TOTAL_FORMS and
//   counts it in TOTAL_FORMS. A new line the user has not filled in is left alone by the
//   server (an unchanged extra form), so it never shows errors.
// - Removing a new line takes it out; the new lines after it move up one number, so the
//   formset's numbering stays without gaps. Removing a saved line ticks its DELETE box and
//   folds it away with an "Undo" until the form is saved.
// - A suggestion's "Add" button (consult page) fills the trailing empty line, or a new
//   one, with the nutrient and its usual dose.
// Each change sends a "change" event, so the live check (htmx) and the unsaved-changes
// guard (consult.js) see it. Without JavaScript the buttons post the form as before.
(function () {
  "use strict";

  var RENAMED = ["name", "id", "for", "aria-describedby", "hx-target"];

  function setup(container) {
    var prefix = container.dataset.prefix;
    var form = container.closest("form");
    var rows = container.querySelector("[data-line-rows]");
    var template = container.querySelector("template[data-line-template]");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var initial = document.getElementById("id_" + prefix + "-INITIAL_FORMS");
    var status = container.querySelector("[data-lines-status]");
    var addButton = container.querySelector("[data-line-add]");
    var summary = document.querySelector(".error-summary");
    if (!form || !rows || !template || !total || !initial || !addButton) {
      return;
    }
    var savedCount = Number(initial.value);

    function label(number) {
      return container.dataset.lineLabel.replace("__number__", String(number));
    }

    // For screen readers: focus moves to the new line, or on from the removed one.
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function changed(element) {
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function field(row, name) {
      return row.querySelector("[name$='-" + name + "']");
    }

    // Renames the row's inputs, labels and references from `from` (a number, or
    // "__prefix__" in the empty form) to line number `to` (counted from 0).
    function renumber(row, from, to) {
      var before = prefix + "-" + from + "-";
      var after = prefix + "-" + to + "-";
      var oldLabel = row.querySelector("legend").textContent;
      [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (el) {
        RENAMED.forEach(function (attribute) {
          var value = el.getAttribute(attribute);
          if (value && value.indexOf(before) !== -1) {
            el.setAttribute(attribute, value.split(before).join(after));
          }
        });
      });
      row.querySelector("legend").textContent = label(to + 1);
      // Links of the error summary that point into the row follow it.
      if (summary && from !== "__prefix__") {
        summary.querySelectorAll("a[href^='#id_" + before + "']").forEach(function (link) {
          link.setAttribute("href", link.getAttribute("href").split(before).join(after));
          if (link.textContent.indexOf(oldLabel) === 0) {
            link.textContent = label(to + 1) + link.textContent.slice(oldLabel.length);
          }
        });
      }
    }

    function lineRows() {
      return Array.prototype.slice.call(rows.querySelectorAll("[data-line]"));
    }

    function isBlank(row) {
      return ["nutrient", "dose_amount", "duration_weeks", "instructions"].every(function (name) {
        var input = field(row, name);
        return !input || !input.value;
      });
    }

    function addLine() {
      var index = Number(total.value);
      var fragment = template.content.cloneNode(true);
      var row = fragment.querySelector("[data-line]");
      renumber(row, "__prefix__", index);
      rows.appendChild(fragment);
      total.value = String(index + 1);
      enhance(row);
      if (window.htmx) {
        window.htmx.process(row);
      }
      say(container.dataset.lineAdded.replace("__line__", label(index + 1)));
      return row;
    }

    function dropSummaryLinks(row) {
      if (!summary) {
        return;
      }
      row.querySelectorAll("[id]").forEach(function (el) {
        summary.querySelectorAll("a[href='#" + el.id + "']").forEach(function (link) {
          link.closest("li").remove();
        });
      });
      document.dispatchEvent(new CustomEvent("gutbrain:errors-changed"));
    }

    function removeNewLine(row) {
      var index = lineRows().indexOf(row);
      var removedLabel = row.querySelector("legend").textContent;
      dropSummaryLinks(row);
      row.remove();
      var after = lineRows().slice(index);
      after.forEach(function (next, offset) {
        renumber(next, index + offset + 1, index + offset);
      });
      total.value = String(Number(total.value) - 1);
      changed(form);
      say(container.dataset.lineRemoved.replace("__line__", removedLabel));
      var focus = after.length ? field(after[0], "nutrient") : addButton;
      focus.focus();
    }

    function setRemoved(row, removed) {
      var box = field(row, "DELETE");
      var body = row.querySelector("[data-line-body]");
      var notice = row.querySelector("[data-line-removed]");
      var nutrient = field(row, "nutrient");
      row.classList.toggle("is-removed", removed);
      body.hidden = removed;
      notice.hidden = !removed;
      if (removed && nutrient && nutrient.selectedIndex > 0) {
        notice.querySelector("[data-line-name]").textContent =
          nutrient.options[nutrient.selectedIndex].text;
      }
      if (box.checked !== removed) {
        box.checked = removed;
        changed(box);
      }
    }

    function enhance(row) {
      var remove = row.querySelector("[data-line-remove]");
      var box = row.querySelector("[data-line-delete]");
      if (!remove) {
        return;
      }
      remove.hidden = false;
      if (box) {
        box.hidden = true;
      }
      remove.addEventListener("click", function () {
        if (!row.hasAttribute("data-line-saved")) {
          removeNewLine(row);
          return;
        }
        setRemoved(row, true);
        row.querySelector("[data-line-undo]").focus();
      });
      var undo = row.querySelector("[data-line-undo]");
      if (undo) {
        undo.addEventListener("click", function () {
          setRemoved(row, false);
          remove.focus();
        });
        // A saved line already marked for removal (the page came back unsaved).
        var deleteBox = field(row, "DELETE");
        if (deleteBox && deleteBox.checked) {
          setRemoved(row, true);
        }
      }
    }

    lineRows().forEach(enhance);

    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      field(addLine(), "nutrient").focus();
    });

    // A suggestion goes into the last line when that one is still empty, else a new one.
    var doses = document.getElementById("usual-doses");
    var usual = doses ? JSON.parse(doses.textContent) : {};
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name='add_nutrient']");
      if (!button) {
        return;
      }
      event.preventDefault();
      var all = lineRows();
      var last = all[all.length - 1];
      var row = last && all.indexOf(last) >= savedCount && isBlank(last) ? last : addLine();
      var nutrient = field(row, "nutrient");
      nutrient.value = button.value;
      var dose = usual[button.value];
      if (dose) {
        field(row, "dose_amount").value = dose.amount;
        field(row, "dose_unit").value = dose.unit;
      }
      changed(nutrient);  // narrows the form select (htmx) and runs the check
      nutrient.focus();
    });
  }

  function start() {
    document.querySelectorAll("[data-lines]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
