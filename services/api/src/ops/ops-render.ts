import type { PipelineStats } from '../stats/stats.service';

// These two functions run on the server AND in the browser: the page script embeds their source via
// Function.prototype.toString, so they must stay self-contained plain JavaScript (no imports, no
// helpers, no closures over module scope).

export function escapeHtmlForOps(v: unknown): string {
  return String(v === null || v === undefined ? '' : v).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
}

export function renderOpsSections(s: PipelineStats, esc: (v: unknown) => string): Record<string, string> {
  const num = (v: number | null) => (v === null || v === undefined ? '—' : String(v));
  const secs = (v: number | null) => (v === null || v === undefined ? '—' : v < 1 ? Math.round(v * 1000) + ' ms' : v.toFixed(1) + ' s');
  const ago = (v: number | null) => {
    if (v === null || v === undefined) return 'never';
    if (v < 120) return v + ' s';
    if (v < 7200) return Math.round(v / 60) + ' min';
    return Math.round(v / 3600) + ' h';
  };
  const td = (id: string, v: string) => '<td data-testid="' + esc(id) + '">' + esc(v) + '</td>';
  // A row headed by `head`, one cell per [id, value], each cell's test id prefixed with `p`.
  const row = (head: string, p: string, cells: [string, string][]) =>
    '<tr><th scope="row">' + esc(head) + '</th>' + cells.map((c) => td(p + c[0], c[1])).join('') + '</tr>';
  const stages = s.stages
    .map((st) =>
      row(st.stage, 'stage-' + st.stage + '-', [
        ['papers', String(st.papers)],
        ['queue', st.queue],
        ['waiting', String(st.depth.waiting)],
        ['active', String(st.depth.active)],
        ['delayed', String(st.depth.delayed)],
        ['failed', String(st.depth.failed)],
        ['throughput-1m', String(st.throughput.m1)],
        ['throughput-5m', String(st.throughput.m5)],
        ['throughput-60m', String(st.throughput.m60)],
        ['latency-p50', secs(st.latency.p50)],
        ['latency-p95', secs(st.latency.p95)],
      ]),
    )
    .join('');
  const queues = s.queues
    .map((q) =>
      row(q.queue, 'queue-' + q.queue + '-', [
        ['waiting', String(q.waiting)],
        ['active', String(q.active)],
        ['delayed', String(q.delayed)],
        ['failed', String(q.failed)],
        ['completed', String(q.completed)],
      ]),
    )
    .join('');
  const failures = s.failures.recent.length
    ? s.failures.recent
        .map((f, i) => {
          // a job shown without its id (it names a subscription) is told apart by its name and place
          const p = 'failure-' + f.queue + '-' + (f.id || f.name + '-' + i) + '-';
          return (
            '<tr data-testid="' + esc(p + 'row') + '"><td>' + esc(f.queue) + '</td><td>' + esc(f.name) + '</td><td>' +
            // a job whose id names a subscription or a delivery shows it to an admin key only
            (f.id ? '<code>' + esc(f.id) + '</code>' : 'admin key') + '</td>' +
            td(p + 'error', f.failedReason) +
            '<td>' + esc(f.failedAt || '') + '</td><td>' + esc(f.attemptsMade) + '</td>' +
            (s.detail === 'full'
              ? '<td><button type="button" class="retry" data-testid="' + esc(p + 'retry') + '" data-queue="' + esc(f.queue) + '" data-job="' + esc(f.id) +
                '">Retry<span class="visually-hidden"> job ' + esc(f.id) + '</span></button></td></tr>'
              : '<td data-testid="' + esc(p + 'retry-needs-key') + '">admin key</td></tr>')
          );
        })
        .join('')
    : '<tr><td colspan="7" data-testid="failures-empty">No failed jobs.</td></tr>';
  // A row per item (or the one `empty` row), headed by the item's name and its kind, then its cells.
  const listRows = <T>(items: T[], each: (x: T) => [string, string, string, [string, string][]], empty: string) =>
    items.length
      ? items
          .map((x) => {
            const [name, kind, p, cells] = each(x);
            return '<tr><th scope="row">' + esc(name) + '</th><td>' + esc(kind) + '</td>' + cells.map((c) => td(p + c[0], c[1])).join('') + '</tr>';
          })
          .join('')
      : empty;
  const every = (v: number) => (v % 3600 === 0 ? v / 3600 + ' h' : v % 60 === 0 ? v / 60 + ' min' : v + ' s');
  // The operator's first question is which source is failing and how far behind it is: those columns come first,
  // after the source (its kind and whether it is enabled under its name), so they are on screen at 1280 px and
  // first in the scrolling box on a phone; the times and the schedule follow.
  const sources = s.sources.length
    ? s.sources
        .map((src) => {
          const upload = src.kind === 'upload';
          // without an interval nothing polls it: it is fetched when someone asks
          const onDemand = !upload && (src.everySeconds === null || src.everySeconds === undefined);
          const p = 'source-' + src.name + '-';
          // an ISO time with a space for its T: the cell wraps it as a date over a time of day (Date.parse still reads it)
          const when = (v: string | null | undefined) => (v ? String(v).replace('T', ' ') : v);
          const cells: [string, string][] = [
          ['status', num(src.lastStatus)],
          ['error', src.lastError || ''],
          // the streak: since when, and how many polls failed for good (a poll still retrying is not one yet)
          [
            'failures',
            src.consecutiveFailures > 0
              ? (src.failingSince ? 'since ' + when(src.failingSince) + ': ' : '') +
                (src.failedPolls
                  ? src.failedPolls + ' failed poll' + (src.failedPolls === 1 ? '' : 's') + ' in a row' +
                    ' (' + src.consecutiveFailures + ' failed attempt' + (src.consecutiveFailures === 1 ? '' : 's') + ', retries included)'
                  : src.consecutiveFailures + ' failed attempt' + (src.consecutiveFailures === 1 ? '' : 's') + ', its poll still retrying')
              : 'none',
          ],
          // An upload source is not polled: its last attempt is the last upload, and a lag would only say how long ago that was.
          ['lag', upload ? 'not polled' : src.lagSeconds === null || src.lagSeconds === undefined ? 'not fetched yet' : ago(src.lagSeconds)],
          ['last-success', when(src.lastSuccessAt) || 'never'],
          ['last-attempt', when(src.lastAttemptAt) || 'never'],
          ['next-attempt', when(src.nextAttemptAt) || (!src.enabled ? 'disabled' : onDemand ? 'when asked' : '—')],
          // (how to ask for a poll is said once, in the caption)
          ['polled', upload ? 'not polled (uploads)' : onDemand ? 'on demand' : 'every ' + every(src.everySeconds as number)],
          ];
          return (
            '<tr><th scope="row" class="source">' + esc(src.name) + '<small data-testid="' + esc(p + 'kind') + '">' + esc(src.kind) + '</small>' +
            (src.enabled ? '' : '<small data-testid="' + esc(p + 'disabled') + '">disabled</small>') + '</th>' +
            cells.map((c) => '<td' + (c[0] === 'last-success' || c[0] === 'last-attempt' || c[0] === 'next-attempt' ? ' class="time"' : '') + ' data-testid="' + esc(p + c[0]) + '">' + esc(c[1]) + '</td>').join('') +
            '</tr>'
          );
        })
        .join('')
    : '<tr><td colspan="9">No sources configured.</td></tr>';
  // Failing endpoints are other tenants' subscriptions: listed for an admin key, counted for everyone else.
  const f = s.endpointsFailing;
  const counted = !f
    ? ''
    : '<tr><td colspan="6" data-testid="endpoints-counted">' +
      esc(
        f.total === 0
          ? 'No failing endpoints.'
          : f.byChannel.webhook + ' webhook and ' + f.byChannel.email + ' email endpoint' + (f.total === 1 ? '' : 's') + ' failing (' +
              f.byStatus.active + ' still tried, ' + f.byStatus.paused + ' paused, ' + f.byStatus.disabled + ' disabled)' +
              (s.detail === 'full' ? '' : '; which ones needs an admin key'),
      ) +
      '</td></tr>';
  const endpoints = s.detail !== 'full' ? counted : listRows(
    s.endpoints,
    (e) => [
      e.name,
      e.channel,
      'endpoint-' + e.id + '-',
      [
        ['target', e.target],
        ['status', e.status],
        ['failures', String(e.consecutiveFailures)],
        ['error', e.reason || ''],
      ],
    ],
    '<tr><td colspan="6" data-testid="endpoints-empty">No failing endpoints.</td></tr>',
  ) +
    // the list is capped (most failures first): say how many more there are rather than stop silently
    (s.endpointsMore > 0
      ? '<tr><td colspan="6" data-testid="endpoints-more">… and ' + esc(s.endpointsMore) + ' more failing endpoints</td></tr>'
      : '');
  const m = s.mailServer;
  const mail = !m
    ? ''
    : '<li>Mail server: <strong data-testid="mail-server-status">' +
      esc(m.status === 'failing' ? 'failing (' + (m.lastErrorClass || 'unknown error') + ')' : m.status === 'ok' ? 'working' : 'no send recorded yet') +
      '</strong>' +
      (m.failingSince ? ' since <time data-testid="mail-server-since" datetime="' + esc(m.failingSince) + '">' + esc(m.failingSince) + '</time>' : '') +
      ', <span data-testid="mail-server-waiting">' + esc(m.waitingDeliveries) + '</span> email deliveries waiting</li>';
  const summary =
    mail +
    '<li>Search behind by: <strong data-testid="search-lag">' + esc(s.search ? secs(s.search.lagSeconds) : '—') + '</strong>' +
    ' (<span data-testid="search-pending">' + esc(s.search ? s.search.pendingPapers : 0) + '</span> papers to index)</li>' +
    // where GET /v1/topics counts from: `estimated` means each listing samples the catalogue (no fresh rollup: is a sweeper running?)
    (s.topicCounts
      ? '<li>Topic counts: <strong data-testid="topic-counts-source">' +
        esc(s.topicCounts.source === 'estimated' ? 'estimated at each listing (rollup stale)' : s.topicCounts.source) +
        '</strong>, rollup <span data-testid="topic-counts-refreshed">' +
        // the sweeper refreshes the rollup only on a large catalogue: below, "not needed yet", not "never"
        (s.topicCounts.source === 'exact' ? 'not needed yet (counted exactly at each listing on a small catalogue)' + (s.topicCounts.refreshedAt ? '; last refreshed ' : '') : s.topicCounts.refreshedAt ? 'refreshed ' : 'never refreshed (is a sweeper running?)') +
        (s.topicCounts.refreshedAt ? '<time datetime="' + esc(s.topicCounts.refreshedAt) + '">' + esc(s.topicCounts.refreshedAt) + '</time>' : '') +
        '</span></li>'
      : '') +
    '<li>Failed raw documents: <strong data-testid="raw-documents-failed">' + esc(s.failures.rawDocumentsFailed) + '</strong></li>' +
    // entries a document skipped (no title, no id…) are not failures of the document, but papers the operator lost
    '<li>Skipped entries in the sources\' latest documents: <strong data-testid="skipped-entries">' +
    esc(s.sources.reduce((n, x) => n + (x.skippedEntries || 0), 0)) + '</strong>' +
    s.sources
      .filter((x) => (x.skippedEntries || 0) > 0)
      .map(
        (x) =>
          '; <span data-testid="' + esc('skipped-' + x.name) + '">' + esc(x.name + ': ' + x.skippedEntries) +
          ((x.skippedSample || []).length
            ? ' (' + esc((x.skippedSample || []).map((e) => (e.id ? e.id : e.line !== undefined ? 'line ' + e.line : e.index !== undefined ? 'entry ' + (e.index + 1) : 'entry') + ' ' + e.message).join(', ')) +
              ((x.skippedEntries || 0) > (x.skippedSample || []).length ? ', …' : '') + ')'
            : s.detail === 'full' ? '' : ' (reasons need an admin key)') +
          '</span>',
      )
      .join('') +
    '</li>' +
    '<li>Subscriptions active / paused / disabled / pending: <strong data-testid="subscriptions-summary">' +
    esc(s.subscriptions.active + ' / ' + s.subscriptions.paused + ' / ' + s.subscriptions.disabled + ' / ' + s.subscriptions.pendingConfirmation) +
    '</strong>' +
    (s.subscriptions.heldDeliveries > 0
      ? '; <span data-testid="held-deliveries">' + esc(s.subscriptions.heldDeliveries) + ' deliver' + (s.subscriptions.heldDeliveries === 1 ? 'y' : 'ies') +
        ' held by paused subscriptions (not retried; sent when resumed)</span>'
      : '') +
    '</li>' +
    '<li>Updated: <time data-testid="generated-at" datetime="' + esc(s.generatedAt) + '">' + esc(s.generatedAt) + '</time></li>';
  return { stages, queues, failures, sources, endpoints, summary };
}
