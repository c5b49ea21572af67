(function () {
  "use strict";
  var table = document.getElementById("listings");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("q");
  // Each select filters on its row attribute: `data-action`, `data-severity`, … hold
  // the keywords of the listing's findings, space-separated.
  var filters = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var shown = document.getElementById("shown");
  // Row text is read once: searching re-reads nothing from the DOM.
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });

  function filter() {
    var q = search.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r, i) {
      var ok = !q || texts[i].indexOf(q) !== -1;
      filters.forEach(function (f) {
        var v = f.value;
        var have = " " + (r.getAttribute("data-" + f.getAttribute("data-filter")) || "") + " ";
        if (v && have.indexOf(" " + v + " ") === -1) { ok = false; }
      });
      r.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = String(n);
  }
  search.addEventListener("input", filter);
  filters.forEach(function (f) { f.addEventListener("change", filter); });

  function key(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.getAttribute("data-sort");
    if (v === null) { v = cell.textContent; }
    return numeric ? Number(v) : v.toLowerCase();
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var type = th.getAttribute("data-type");
    if (!type) { return; }
    th.addEventListener("click", function () {
      var col = th.cellIndex;
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var order = rows.map(function (r, i) { return i; });
      order.sort(function (x, y) {
        var a = key(rows[x], col, type === "num");
        var b = key(rows[y], col, type === "num");
        var c = a < b ? -1 : a > b ? 1 : 0;
        return c !== 0 ? c * dir : x - y;
      });
      var sorted = order.map(function (i) { return rows[i]; });
      var sortedTexts = order.map(function (i) { return texts[i]; });
      rows = sorted;
      texts = sortedTexts;
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
