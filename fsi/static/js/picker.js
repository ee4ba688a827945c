// Pickers (templates/_macros/pickers.html): the search box hides the rows that do not match,
// ignoring case and accents. Without JavaScript every row stays visible.
(function () {
  "use strict";

  function plain(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  document.querySelectorAll("[data-picker]").forEach(function (picker) {
    var search = picker.querySelector("[data-picker-search]");
    var rows = picker.querySelectorAll(".picker-list li");
    if (!search) { return; }
    search.addEventListener("input", function () {
      var query = plain(search.value.trim());
      rows.forEach(function (row) {
        row.hidden = query !== "" && plain(row.textContent).indexOf(query) === -1;
      });
    });
  });
}());
