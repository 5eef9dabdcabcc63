/// The fixed stylesheet and script of the HTML scan report, and their SHA-256 hashes for the
/// page's Content-Security-Policy: only these two inline blocks may run or apply, and nothing
/// may be fetched, so even a markup injection that slipped past the escaping could neither
/// run a script nor send data anywhere. Change a block, change its hash (the test
/// `ScanReporterTests.htmlContentSecurityPolicyHashes` recomputes both and prints the new one).
enum ScanHTMLAssets {
    static let styleHash = "sha256-PSp3uz7wlBtwJh7eMywc11rN+cjJVQnalgBPMbq5440="
    static let scriptHash = "sha256-2bQEj2NjJA4z72V29MrOdnzhUWbvuusQNWBOpQOHnAI="

    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src '\(styleHash)'; script-src '\(scriptHash)'; base-uri 'none'; form-action 'none'"
    }

    static let style = #"""

:root{--fg:#1b1f24;--muted:#4a5260;--line:#d0d7de;--panel:#f6f8fa;--focus:#0550ae;
--error-bg:#ffebe9;--error-fg:#82071e;--error-bar:#cf222e;
--warning-bg:#fff8c5;--warning-fg:#5c3d00;--warning-bar:#9a6700;
--note-bg:#ddf4ff;--note-fg:#0a3069;--note-bar:#0969da;--ok-bg:#dafbe1;--ok-fg:#0f5323}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;color:var(--fg);background:#fff}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.2rem;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.meta{color:var(--muted);margin:0 0 12px}
.verdict{display:inline-block;font-weight:700;padding:6px 12px;border-radius:6px;margin:4px 0 16px}
.verdict.fail{background:var(--error-bg);color:var(--error-fg);border:1px solid var(--error-bar)}
.verdict.pass{background:var(--ok-bg);color:var(--ok-fg);border:1px solid #1a7f37}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:0}
.totals div{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.totals dt{color:var(--muted);font-size:.85rem}
.totals dd{margin:0;font-size:1.6rem;font-weight:700}
.totals .alert dd{color:var(--error-fg)}
.levels{display:grid;grid-template-columns:minmax(300px,3fr) minmax(220px,2fr);gap:32px;align-items:start}
.chart{width:100%;max-width:640px;height:auto}
.chart text{font-size:13px;fill:var(--fg)}
.chart .axis{stroke:var(--line)}
.bar-error{fill:var(--error-bar)}
.bar-warning{fill:var(--warning-bar)}
.bar-note{fill:var(--note-bar)}
.legend{color:var(--muted);font-size:.85rem;margin:8px 0 0}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;color:var(--muted);font-size:.85rem;padding:0 0 6px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:var(--panel);font-weight:600;white-space:nowrap}
.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.88em}
td code{overflow-wrap:break-word}
.nowrap{white-space:nowrap}
.path{min-width:14rem}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.82rem;font-weight:600;white-space:nowrap}
.sev-error{background:var(--error-bg);color:var(--error-fg)}
.sev-warning{background:var(--warning-bg);color:var(--warning-fg)}
.sev-note{background:var(--note-bg);color:var(--note-fg)}
.zero{color:var(--muted)}
tr.suppressed td{background:#fafbfc}
.reason{display:block;color:var(--muted);font-size:.82rem}
.controls{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-end;margin:8px 0 12px}
.controls label{display:flex;flex-direction:column;gap:2px;font-size:.85rem;color:var(--muted)}
.controls input,.controls select{font:inherit;color:var(--fg);background:#fff;padding:5px 8px;border:1px solid #6e7781;border-radius:6px;min-width:180px}
.controls input{min-width:280px}
.count{margin:0 0 0 auto;color:var(--muted);font-size:.85rem}
th button{font:inherit;font-weight:600;color:var(--fg);background:none;border:0;padding:0;cursor:pointer}
th button::after{content:" \2195";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" \25B2";color:var(--fg)}
th[aria-sort=descending] button::after{content:" \25BC";color:var(--fg)}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
ul.entries{padding-left:20px}
footer{color:var(--muted);font-size:.85rem;padding-top:32px;padding-bottom:32px}
@media (max-width:800px){.levels{grid-template-columns:1fr}}
@media print{.controls,th button::after{display:none}}

"""#

    static let script = #"""

(function () {
  "use strict";
  var table = document.getElementById("findings");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = document.getElementById("filter-text");
  var level = document.getElementById("filter-level");
  var status = document.getElementById("filter-status");
  var count = document.getElementById("findings-count");
  document.getElementById("findings-controls").hidden = false;

  function apply() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (needle === "" || row.textContent.toLowerCase().indexOf(needle) !== -1) &&
        (level.value === "" || row.getAttribute("data-level") === level.value) &&
        (status.value === "" || row.getAttribute("data-status") === status.value);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " findings";
  }

  function key(row, index) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim() : value;
  }

  headers.forEach(function (header, index) {
    var button = header.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      var numeric = header.getAttribute("data-type") === "number";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var items = rows.map(function (row, position) { return { row: row, key: key(row, index), position: position }; });
      items.sort(function (a, b) {
        var order = numeric ? Number(a.key) - Number(b.key) :
          a.key.localeCompare(b.key, undefined, { numeric: true, sensitivity: "base" });
        if (order === 0) { return a.position - b.position; }
        return ascending ? order : -order;
      });
      items.forEach(function (item) { body.appendChild(item.row); });
    });
  });

  text.addEventListener("input", apply);
  level.addEventListener("change", apply);
  status.addEventListener("change", apply);
  apply();
}());

"""#
}
