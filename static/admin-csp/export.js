// The export page's "select all" checkbox, wired here instead of an inline onchange
// handler (templates/admin/import_export/export.html). onSelectToggleChange comes from
// import-export's export_selectable_fields.js, loaded before this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
