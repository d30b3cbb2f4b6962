// Sorting and filtering for the comparison table. Plain DOM code, no dependencies, works
// offline. The table is complete HTML without this script; the script only hides rows and
// reorders them. It runs on first load and after mkdocs-material's instant navigation.
(function () {
  "use strict";

  function cellKey(row, index, type) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    raw = raw.trim();
    if (type === "number") {
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return raw.toLowerCase();
  }

  function sortBy(table, index, type, header) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = cellKey(a, index, type), y = cellKey(b, index, type);
      // unknown values go last whatever the direction
      if (x === null || x === "") return (y === null || y === "") ? 0 : 1;
      if (y === null || y === "") return -1;
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function applyFilters(panel, table) {
    var wanted = {};
    panel.querySelectorAll("[data-filter]").forEach(function (el) {
      wanted[el.getAttribute("data-filter")] = el.value.trim().toLowerCase();
    });
    var shown = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = true;
      ["paradigm", "encoding", "attention"].forEach(function (key) {
        if (wanted[key] && row.getAttribute("data-" + key) !== wanted[key]) ok = false;
      });
      if (wanted.modalities) {
        var mods = (row.getAttribute("data-modalities") || "").split(" ");
        if (mods.indexOf(wanted.modalities) < 0) ok = false;
      }
      if (wanted.text && row.textContent.toLowerCase().indexOf(wanted.text) < 0) ok = false;
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    var count = panel.querySelector(".umm-count");
    if (count) count.textContent = shown + " of " + rows.length + " models";
  }

  function setUp() {
    document.querySelectorAll("table.umm-compare").forEach(function (table) {
      if (table.getAttribute("data-ready")) return;
      table.setAttribute("data-ready", "1");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        var type = th.getAttribute("data-sort");
        if (!type) return;
        th.tabIndex = 0;
        th.setAttribute("role", "button");
        th.title = "Sort by this column";
        var go = function () { sortBy(table, index, type, th); };
        th.addEventListener("click", go);
        th.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); }
        });
      });
      var panel = document.querySelector(".umm-filters");
      if (!panel) return;
      panel.hidden = false;
      panel.querySelectorAll("[data-filter]").forEach(function (el) {
        el.addEventListener("input", function () { applyFilters(panel, table); });
        el.addEventListener("change", function () { applyFilters(panel, table); });
      });
      applyFilters(panel, table);
    });
  }

  // setUp is idempotent: run it when the page is ready, and again after each instant
  // navigation of mkdocs-material (document$), which swaps the page without a reload.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  }
})();
