// Names the admin's autocomplete fields (select2) after their labels, for screen readers:
// select2 names its box after the chosen value only, so an empty field had no name, and
// the search box of a field with several values had none at all. Loaded on every admin
// page by templates/admin/base_site.html.
"use strict";

(() => {
  const nameAfterLabel = (select) => {
    const label = document.querySelector(`label[for="${select.id}"]`);
    const box = select.nextElementSibling;
    if (!label || !box || !box.classList.contains("select2")) {
      return;
    }
    const name = label.textContent.replace(/:\s*$/, "").trim();
    box
      .querySelectorAll('[role="combobox"], [role="textbox"], .select2-search__field')
      .forEach((element) => element.setAttribute("aria-label", name));
  };
  const nameAll = () => {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameAfterLabel);
  };

  const jQuery = window.django && window.django.jQuery;
  if (!jQuery) {
    return; // a page without Django's jQuery has no autocomplete fields
  }
  // Django's autocomplete.js sets the fields up when the page is ready; this comes after.
  jQuery(nameAll);
  document.addEventListener("formset:added", nameAll);
  // select2 draws the search box of a multiple field again after each change.
  jQuery(document).on(
    "select2:select select2:unselect select2:close",
    "select.admin-autocomplete",
    (event) => nameAfterLabel(event.currentTarget),
  );
})();
