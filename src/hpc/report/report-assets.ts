/** Inline stylesheet and script of the report; kept apart so the renderer stays readable. */

/** Styles: readable on screen and in print, front marks stand out without relying on colour alone. */
export const REPORT_CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de}
.plots{display:flex;flex-wrap:wrap;gap:12px}
figure.plot{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:6px}
figcaption{font-size:12px;color:#57606a;text-align:center}
svg .grid{stroke:#eaeef2}svg .frame{fill:none;stroke:#8c959f}
svg .tick{font-size:10px;fill:#57606a}svg .axis{font-size:12px;fill:#1b1f24}
svg .ci{stroke:#8c959f;stroke-width:1}
svg circle.mark{fill:#c8ced6;stroke:#6e7781;stroke-width:1}
svg circle.mark.unranked{fill:#fff;stroke:#6e7781;stroke-dasharray:2 2}
svg circle.mark.front{fill:#d1242f;stroke:#82071e;stroke-width:1.5}
svg .point.front .ci{stroke:#d1242f}
.legend span{display:inline-block;margin-right:16px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;vertical-align:middle;margin-right:4px}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f6f8fa;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.front td{background:#fff0f0;font-weight:600}
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
