/* Application form: live budget totals and "add a row" buttons.
   The server recomputes everything on save; this only helps while typing. */
(function () {
  "use strict";

  function parseFrench(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f€]/g, "");
    if (!cleaned) return 0;
    if (cleaned.indexOf(",") !== -1) {
      cleaned = cleaned.replace(/\./g, "").replace(",", ".");
    }
    var n = Number(cleaned);
    return isFinite(n) ? Math.round(n * 100) : 0;  // cents, to add without float drift
  }

  function formatEuros(cents) {
    var value = (cents / 100).toLocaleString("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return value + "\u00a0€";
  }

  function sumRows(selector, amountClass, keep) {
    var total = 0;
    document.querySelectorAll(selector).forEach(function (row) {
      var input = row.querySelector("." + amountClass);
      if (input && (!keep || keep(row))) total += parseFrench(input.value);
    });
    return total;
  }

  function refresh() {
    var out = {
      excl: sumRows(".js-cost-row", "js-excl"),
      incl: sumRows(".js-cost-row", "js-incl"),
      eligible: sumRows(".js-cost-row", "js-excl", function (row) {
        var box = row.querySelector(".js-eligible");
        return box && box.checked;
      }),
      public: sumRows(".js-cofunding-row", "js-cofunding", function (row) {
        var select = row.querySelector("select");
        return select && select.value === "1";
      }),
      private: sumRows(".js-cofunding-row", "js-cofunding", function (row) {
        var select = row.querySelector("select");
        return select && select.value === "0";
      })
    };
    Object.keys(out).forEach(function (key) {
      var cell = document.querySelector('[data-total="' + key + '"]');
      if (cell) cell.textContent = formatEuros(out[key]);
    });
  }

  function addRow(button) {
    var table = button.parentElement.querySelector("table.js-rows tbody");
    if (!table || !table.lastElementChild) return;
    var last = table.lastElementChild;
    var copy = last.cloneNode(true);
    var count = table.children.length;
    copy.querySelectorAll("[id], [name], [for], [aria-describedby]").forEach(function (el) {
      ["id", "name", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/-\d+-/g, "-" + count + "-"));
      });
      if (el.tagName === "INPUT" && el.type !== "checkbox") el.value = "";
    });
    copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    table.appendChild(copy);
    var first = copy.querySelector("input, select");
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".js-add-row").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { addRow(button); refresh(); });
    });
    document.addEventListener("input", refresh);
    document.addEventListener("change", refresh);
    refresh();
  });
})();
