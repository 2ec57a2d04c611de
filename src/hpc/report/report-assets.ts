/** Inline stylesheet and script of the report; kept apart so the renderer stays readable. */

/** Styles: readable on screen and in print, front marks stand out without relying on colour alone. */
export const REPORT_CSS = `
body{font:15px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff;max-width:1400px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:30px 0 8px;border-bottom:1px solid #d0d7de}
h3{font-size:16px;margin:18px 0 6px}h4{font-size:14px;margin:4px 0}
.toc a{margin-right:4px}
.plots,.series-row{display:flex;flex-wrap:wrap;gap:12px}
figure.plot,figure.series-plot{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:6px}
figcaption{font-size:13px;color:#57606a;text-align:center}
.series-legend span{margin-right:10px}.series-legend i{display:inline-block;width:12px;height:3px;vertical-align:middle;margin-right:3px}
.series{display:flex;flex-wrap:wrap;gap:10px}.series-card{margin:4px 0;padding:4px;border:1px solid #eaeef2;border-radius:6px}
svg .grid{stroke:#eaeef2}svg .frame{fill:none;stroke:#8c959f}
svg .tick{font-size:12px;fill:#424a53}svg .axis{font-size:13px;fill:#1b1f24;font-weight:600}
svg .ci{stroke-width:1.3;opacity:.7}
.legend{margin:6px 0;font-size:14px}.legend div{margin:2px 0}
.legend-item{display:inline-block;margin-right:14px}.legend-item em{color:#57606a}
.swatch{vertical-align:middle;margin-right:4px}
.run-simulated{color:#6e40c9}.run-real{color:#1a7f37;font-weight:600}
table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f6f8fa;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.front td{background:#fff0f0;font-weight:600}
#caveats li.caveat{margin:4px 0}
.verdicts li{margin:4px 0}
.note{color:#57606a}code{font-size:12px}
`;

/**
 * Sorts the points table on header click: numeric when every cell has a numeric `data-sort`,
 * text otherwise; a second click reverses. Empty cells always sort last.
 */
export const REPORT_JS = `
(function(){
  var table=document.getElementById('points');if(!table)return;
  var heads=table.querySelectorAll('thead th');
  heads.forEach(function(th,col){th.addEventListener('click',function(){
    var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending';
    heads.forEach(function(h){h.removeAttribute('aria-sort')});th.setAttribute('aria-sort',dir);
    var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
    function key(r){var c=r.cells[col];return c?c.getAttribute('data-sort'):''}
    var numeric=rows.every(function(r){var k=key(r);return k===''||!isNaN(parseFloat(k))});
    rows.sort(function(a,b){var x=key(a),y=key(b);if(x===''&&y==='')return 0;if(x==='')return 1;if(y==='')return -1;
      var d=numeric?parseFloat(x)-parseFloat(y):x.localeCompare(y);return dir==='ascending'?d:-d});
    rows.forEach(function(r){body.appendChild(r)});
  })});
})();
`;
