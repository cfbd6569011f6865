import type { PipelineStats } from '../stats/stats.service';
import { skipLink } from '../common/html';
import { SKIP_LINK_CSS } from '../common/page-style';
import { escapeHtmlForOps, renderOpsSections } from './ops-render';

const CSS = `
:root{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;background:#fafbfc}
body{margin:0 auto;max-width:1200px;padding:1rem 1.5rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.3rem 0;color:#444;max-width:100cqi;position:sticky;left:0}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:right;vertical-align:top}
th[scope=row],td:first-child{text-align:left}thead th{background:#f0f3f6;text-align:center}
/* an error wraps between words (a word longer than the cell, a URL, breaks where it must), never a letter a line:
   the cell keeps a readable width and the table scrolls in its box instead */
td[data-testid$="-error"]{text-align:left;min-width:12rem;max-width:28rem;overflow-wrap:break-word;color:#9a1c1c}
/* the sources table fits 1200 px: a source's kind and state under its name, a time on two lines (date, then time of day) */
th.source small{display:block;font-weight:400;color:#57606a;font-size:.8rem}
td.time{font-size:.85rem;min-width:6rem}td[data-testid$="-failures"],td[data-testid$="-polled"]{text-align:left}
.bar{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;background:#fff;border:1px solid #d0d7de;padding:.5rem .7rem}
button{font:inherit;padding:.2rem .7rem;cursor:pointer}button:focus-visible,input:focus-visible{outline:3px solid #0969da;outline-offset:1px}
#status{min-height:1.2em}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
ul.summary{list-style:none;padding:0;display:flex;gap:1.5rem;flex-wrap:wrap}
/* a caption is as wide as its table: held to the scrolling box's width (cqi) and kept in view (sticky) it wraps
   on a phone instead of running off the box's visible part. position:relative makes the box the containing block of
   what is absolutely positioned inside (the visually-hidden text of a Retry button), which otherwise escaped it and
   widened the page itself: the whole page scrolled sideways and cut the tables' columns off */
.scroll{overflow-x:auto;max-width:100%;container-type:inline-size;position:relative}
@media (max-width:700px){body{padding:.6rem .7rem}h1{font-size:1.2rem}#admin-key{width:100%}.bar label{width:100%}
th,td{padding:.25rem .35rem;font-size:.85rem}td[data-testid$="-error"]{min-width:10rem;max-width:16rem}}
`;

function clientScript(readNeedsKey: boolean): string {
  return `(function(){
'use strict';
var esc = ${escapeHtmlForOps.toString()};
var render = ${renderOpsSections.toString()};
var KEY = 'paperwire.adminKey';
var statusEl = document.getElementById('status');
function key(){ try { return sessionStorage.getItem(KEY) || ''; } catch (e) { return ''; } }
function headers(){ var k = key(); return k ? { 'X-API-Key': k } : {}; }
function say(msg){ statusEl.textContent = msg; }
function apply(stats){
  var parts = render(stats, esc);
  Object.keys(parts).forEach(function(id){ var el = document.getElementById(id); if (el) el.innerHTML = parts[id]; });
}
function refresh(){
  if (${readNeedsKey} && !key()) { say('Enter an API key to load figures.'); return; }
  fetch('/v1/stats/pipeline', { headers: headers(), cache: 'no-store' })
    .then(function(r){ if (!r.ok) throw new Error('stats: HTTP ' + r.status); return r.json(); })
    .then(function(s){ apply(s); document.body.setAttribute('data-loaded', 'true'); })
    .catch(function(e){ say(e.message); });
}
document.getElementById('save-key').addEventListener('click', function(){
  var v = document.getElementById('admin-key').value.trim();
  try { if (v) sessionStorage.setItem(KEY, v); else sessionStorage.removeItem(KEY); } catch (e) {}
  document.getElementById('admin-key').value = '';
  say(v ? 'Key kept for this browser tab.' : 'Key cleared.');
  refresh();
});
document.getElementById('failures').addEventListener('click', function(ev){
  var b = ev.target.closest('button.retry'); if (!b) return;
  if (!key()) { say('Enter an admin API key first.'); document.getElementById('admin-key').focus(); return; }
  b.disabled = true;
  fetch('/v1/admin/failed/' + encodeURIComponent(b.dataset.queue) + '/' + encodeURIComponent(b.dataset.job) + '/retry', { method: 'POST', headers: headers() })
    .then(function(r){ return r.json().catch(function(){ return {}; }).then(function(body){
      say(r.ok ? 'Retried job ' + b.dataset.job + '.' : 'Retry failed: ' + (body.detail || ('HTTP ' + r.status)));
      refresh();
    }); })
    .catch(function(e){ say('Retry failed: ' + e.message); b.disabled = false; });
});
setInterval(refresh, 5000);
refresh();
})();`;
}

/** The ops page: server-rendered figures, refreshed every 5 s by an inline script (no external assets). */
export function renderOpsPage(stats: PipelineStats | null, nonce: string, readNeedsKey: boolean): string {
  const parts = stats ? renderOpsSections(stats, escapeHtmlForOps) : { stages: '', queues: '', failures: '', sources: '', endpoints: '', summary: '' };
  const th = (cols: string[]) => cols.map((c) => `<th scope="col">${c}</th>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>PaperWire ops</title><style nonce="${nonce}">${CSS}${SKIP_LINK_CSS}</style></head>
<body data-loaded="${stats ? 'true' : 'false'}">
${skipLink('content', 'Skip to content')}
<header><h1>PaperWire — pipeline operations</h1>
<div class="bar" role="group" aria-labelledby="key-label">
<label id="key-label" for="admin-key">Admin API key (kept in this tab only, sent as a header)</label>
<input id="admin-key" type="password" autocomplete="off" spellcheck="false" size="40">
<button type="button" id="save-key">Use key</button>
<span id="status" role="status" aria-live="polite"></span>
</div>
<ul class="summary" id="summary">${parts.summary}</ul></header>
<main id="content" tabindex="-1">
<section aria-labelledby="h-stages"><h2 id="h-stages">Stages</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-stages"><table><caption>Papers per stage, the queue feeding it, throughput (papers reaching the stage) and latency from the previous stage over the last hour</caption>
<thead><tr>${th(['Stage', 'Papers', 'Queue', 'Waiting', 'Active', 'Delayed', 'Failed', '1 min', '5 min', '60 min', 'p50', 'p95'])}</tr></thead>
<tbody id="stages">${parts.stages}</tbody></table></div></section>
<section aria-labelledby="h-queues"><h2 id="h-queues">Queues</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-queues"><table><caption>Jobs per queue and state</caption>
<thead><tr>${th(['Queue', 'Waiting', 'Active', 'Delayed', 'Failed', 'Completed'])}</tr></thead>
<tbody id="queues">${parts.queues}</tbody></table></div></section>
<section aria-labelledby="h-failures"><h2 id="h-failures">Recent failures</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-failures"><table><caption>Failed jobs (after their last retry) with their error class; the full error, the Retry button and the id of a job that names a subscription need an admin key</caption>
<thead><tr>${th(['Queue', 'Job', 'Id', 'Error', 'Failed at', 'Attempts', 'Action'])}</tr></thead>
<tbody id="failures">${parts.failures}</tbody></table></div></section>
<section aria-labelledby="h-sources"><h2 id="h-sources">Sources</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-sources"><table><caption>How often each source is polled (on demand: only when asked, with <code>paperwire sources poll &lt;name&gt;</code> or <code>POST /v1/sources/{id}/poll</code>), its next attempt (schedule, retry or queued poll), last fetch, HTTP status, error (its class without an admin key), failure streak (since when, polls that failed for good in a row, and failed attempts with their retries) and lag (time since the last successful fetch); for the upload source, the last upload (not polled: no lag)</caption>
<thead><tr>${th(['Source', 'Status', 'Error', 'Failing', 'Lag', 'Last success', 'Last attempt', 'Next attempt', 'Polled'])}</tr></thead>
<tbody id="sources">${parts.sources}</tbody></table></div></section>
<section aria-labelledby="h-endpoints"><h2 id="h-endpoints">Failing endpoints</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-endpoints"><table><caption>Subscriptions whose latest deliveries failed: still failing, paused after a run of failures or disabled by a 410 (without an admin key only how many: they are every tenant's subscriptions); resume a paused one, or once its endpoint is fixed re-enable one disabled by a 410, with <code>paperwire subscriptions resume &lt;id&gt;</code> or <code>PATCH /v1/subscriptions/{id}</code> <code>{"status":"active"}</code></caption>
<thead><tr>${th(['Subscription', 'Channel', 'Target', 'Status', 'Failures in a row', 'Reason'])}</tr></thead>
<tbody id="endpoints">${parts.endpoints}</tbody></table></div></section>
</main>
<script nonce="${nonce}">${clientScript(readNeedsKey)}</script>
</body></html>`;
}
