/* Application form: live budget totals and "add a row" buttons.
   The server recomputes everything on save; this only helps while typing. */
(function () {
  "use strict";

  // the page's language decides how numbers are written: 12 500,50 (fr) or 12,500.50 (en)
  var english = document.documentElement.lang === "en";

  function parseAmount(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f€]/g, "");
    if (english) cleaned = cleaned.replace(/[,.]/g, function (sign) { return sign === "," ? "." : ","; });
    if (!cleaned) return 0;
    if (cleaned.indexOf(",") !== -1) {
      cleaned = cleaned.replace(/\./g, "").replace(",", ".");
    }
    var n = Number(cleaned);
    return isFinite(n) ? Math.round(n * 100) : 0;  // cents, to add without float drift
  }

  function formatEuros(cents) {
    return (cents / 100).toLocaleString(english ? "en-GB" : "fr-FR", { style: "currency", currency: "EUR" });
  }

  function sumRows(selector, amountClass, keep) {
    var total = 0;
    document.querySelectorAll(selector).forEach(function (row) {
      var input = row.querySelector("." + amountClass);
      if (input && (!keep || keep(row))) total += parseAmount(input.value);
    });
    return total;
  }

  function vatRecoverable() {
    var box = document.querySelector(".js-vat");
    return !(box && box.checked);
  }

  function refresh() {
    var out = {
      excl: sumRows(".js-cost-row", "js-excl"),
      incl: sumRows(".js-cost-row", "js-incl"),
      eligible: sumRows(".js-cost-row", vatRecoverable() ? "js-excl" : "js-incl", function (row) {
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
    // each field's accessible name ends with its row ("Libellé, ligne 3"): number the new row
    copy.querySelectorAll("label .visually-hidden").forEach(function (el) {
      el.textContent = el.textContent.replace(/\d+/, String(count + 1));
    });
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
