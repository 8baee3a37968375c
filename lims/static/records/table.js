/* The metadata table: sort by a column (numbers by value, quantities in base units) and filter rows by text. */
(function () {
  "use strict";

  function cellValue(row, column) {
    var cell = row.cells[column];
    if (!cell) { return { number: NaN, text: "" }; }
    var sort = cell.getAttribute("data-sort");
    var number = sort !== null && sort !== "" ? Number(sort) : NaN;
    return { number: number, text: (sort !== null && isNaN(number) ? sort : cell.textContent).trim().toLowerCase() };
  }

  function compare(a, b) {
    var aNumber = !isNaN(a.number), bNumber = !isNaN(b.number);
    if (aNumber && bNumber) { return a.number - b.number; }
    if (aNumber !== bNumber) { return aNumber ? -1 : 1; }
    if (!a.text !== !b.text) { return a.text ? -1 : 1; }  // empty cells last
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }

  function setUp(table) {
    var body = table.tBodies[0];
    var buttons = table.querySelectorAll("button.sort");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var column = Number(button.dataset.column);
        var th = button.parentElement;
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var order = compare(cellValue(a, column), cellValue(b, column));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    var filter = document.getElementById("table-filter");
    var count = document.getElementById("table-count");
    filter.addEventListener("input", function () {
      var needle = filter.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var hit = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
        row.hidden = !hit;
        if (hit) { shown += 1; }
      });
      count.textContent = shown + " file" + (shown === 1 ? "" : "s");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("sheet");
    if (table) { setUp(table); }
  });
})();
