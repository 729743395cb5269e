/**
 * One self-contained HTML page (no network: inline CSS, inline SVG, a little inline JS, and a CSP
 * that forbids fetching anything): the verdict, counts, a chart of the deviation in steps per
 * tensor (log scale, failures in red, bucketed past a few thousand tensors), and every row in a
 * table that sorts and filters. Like every format, it lists routine rows (NOT_IN_SOURCE,
 * ENCODING_SAME) only with --verbose, and always counts them.
 *
 * Every name is user data: HTML-escaped in the markup, and `\u`-escaped in the JSON that the
 * script reads (so `</script>`, `<!--` and U+2028 inside a name cannot end or break the script).
 */
import { diagnosticSentence } from '../findings.js';
import type { Report } from '../model.js';
import type { RenderOptions } from './options.js';
import { chunked } from './chunks.js';
import {
  allRows,
  compareText,
  countOf,
  countRows,
  gridText,
  hypothesisText,
  locationText,
  numberText,
  reportTitle,
  sortedEntries,
  STATUS_LABEL,
  STATUS_ORDER,
  statusNoun,
  subjectText,
  tagText,
  verdictWord,
  visibleRows,
  plural,
  type Row,
  type Status,
  sideLabels,
} from './common.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { fmtSteps } from '../words.js';

/** Above this many tensors the chart draws one bar per bucket of neighbours (their maximum). */
export const CHART_MAX_BARS = 1500;
/** The chart's log scale tops out here; larger deviations are clipped and marked. */
const CHART_CAP_STEPS = 10_000;

const CHART_WIDTH = 960;
const CHART_HEIGHT = 220;
const CHART_LEFT = 48;
const CHART_BOTTOM = 24;

function yOf(steps: number): number {
  const plotHeight = CHART_HEIGHT - CHART_BOTTOM - 8;
  const fraction = Math.log10(1 + Math.min(steps, CHART_CAP_STEPS)) / Math.log10(1 + CHART_CAP_STEPS);
  return CHART_HEIGHT - CHART_BOTTOM - fraction * plotHeight;
}

function fixed(n: number): string {
  return numberText(Math.round(n * 100) / 100);
}

interface Bar {
  readonly steps: number;
  readonly status: Status;
  readonly label: string;
}

/** Bars in dump order (file, line), so neighbours in the chart are neighbours in the network. */
function chartBars(rows: readonly Row[]): { bars: Bar[]; plotted: number; perBar: number } {
  const plotted = rows
    .filter((r) => r.deviationSteps !== undefined && Number.isFinite(r.deviationSteps))
    .sort(
      (a, b) =>
        compareText(a.at?.file ?? '', b.at?.file ?? '') ||
        (a.at?.line ?? 0) - (b.at?.line ?? 0) ||
        compareText(a.subject, b.subject) ||
        (a.channel ?? -1) - (b.channel ?? -1),
    );
  const perBar = Math.max(1, Math.ceil(plotted.length / CHART_MAX_BARS));
  const bars: Bar[] = [];
  for (let i = 0; i < plotted.length; i += perBar) {
    const bucket = plotted.slice(i, i + perBar);
    let worst = bucket[0]!;
    for (const r of bucket) if (r.deviationSteps! > worst.deviationSteps!) worst = r;
    const status = bucket.some((r) => r.status === 'fail') ? 'fail' : worst.status;
    const what = `${subjectText(worst)}: ${fmtSteps(worst.deviationSteps!)} steps (${worst.code}, ${STATUS_LABEL[worst.status]})`;
    const label = perBar === 1 ? what : `${bucket.length} tensors from ${subjectText(bucket[0]!)}; largest ${what}`;
    bars.push({ steps: worst.deviationSteps!, status, label });
  }
  return { bars, plotted: plotted.length, perBar };
}

function chart(rows: readonly Row[], noun: string): string {
  const { bars, plotted, perBar } = chartBars(rows);
  if (bars.length === 0) return `<p class="muted">No ${noun} with a measured deviation to chart.</p>`;
  const plotWidth = CHART_WIDTH - CHART_LEFT - 8;
  const barWidth = plotWidth / bars.length;
  const base = CHART_HEIGHT - CHART_BOTTOM;
  const parts: string[] = [];
  for (const tick of [0, 1, 10, 100, 1000, 10000]) {
    const y = fixed(yOf(tick));
    parts.push(
      `<line class="grid" x1="${CHART_LEFT}" x2="${CHART_WIDTH - 8}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${CHART_LEFT - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tick}</text>`,
    );
  }
  let clipped = 0;
  bars.forEach((bar, i) => {
    const x = CHART_LEFT + i * barWidth;
    const y = Math.min(yOf(bar.steps), base - 1);
    if (bar.steps > CHART_CAP_STEPS) clipped++;
    parts.push(
      `<rect class="bar st-${bar.status}" x="${fixed(x)}" y="${fixed(y)}" width="${fixed(Math.max(barWidth * 0.8, 0.5))}" height="${fixed(base - y)}">` +
        `<title>${escapeHtml(bar.label)}</title></rect>`,
    );
  });
  parts.push(`<line class="axis" x1="${CHART_LEFT}" x2="${CHART_WIDTH - 8}" y1="${base}" y2="${base}"/>`);
  parts.push(
    `<text class="tick" x="${CHART_LEFT}" y="${CHART_HEIGHT - 6}">${escapeHtml(`${plotted} ${noun} in dump order${perBar > 1 ? `, ${perBar} per bar (their largest)` : ''}`)}</text>`,
  );
  const caption = [
    `Deviation in steps (log scale, clipped at ${CHART_CAP_STEPS}); failures in red.`,
    ...(clipped > 0 ? [`${clipped} bars clipped.`] : []),
    ...(rows.length > plotted ? [`${rows.length - plotted} rows have no deviation to plot (not in the source, missing, float or not compared).`] : []),
  ].join(' ');
  return (
    `<svg id="chart-svg" role="img" aria-label="deviation in steps per tensor" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" ` +
    `xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>\n<p class="caption">${escapeHtml(caption)}</p>`
  );
}

interface Column {
  readonly head: string;
  readonly cell: (row: Row) => string;
  /** Sort key, or undefined for columns that do not sort. */
  readonly key?: (row: Row) => string | number | null;
}

function columns(report: Report): Column[] {
  const verify = report.kind !== 'diff';
  const [before, after] = sideLabels(report).map((s) => (s === 'dlc' ? 'DLC' : s[0]!.toUpperCase() + s.slice(1)));
  return [
    { head: 'Status', cell: (r) => STATUS_LABEL[r.status], key: (r) => STATUS_ORDER.indexOf(r.status) },
    { head: 'Graph', cell: (r) => r.graph ?? '', key: (r) => r.graph ?? '' },
    { head: verify ? 'Role' : 'About', cell: (r) => r.group, key: (r) => r.group },
    { head: verify ? 'Tensor' : 'Subject', cell: (r) => r.subject, key: (r) => r.subject },
    { head: 'Ch', cell: (r) => (r.channel !== undefined ? String(r.channel) : ''), key: (r) => r.channel ?? null },
    { head: report.kind === 'verify' ? 'Verdict' : report.kind === 'diff' ? 'Change' : 'Finding', cell: (r) => r.code, key: (r) => r.code },
    { head: 'Steps', cell: (r) => (r.deviationSteps !== undefined ? fmtSteps(r.deviationSteps) : ''), key: (r) => r.deviationSteps ?? null },
    { head: before!, cell: (r) => gridText(r.expected) },
    { head: after!, cell: (r) => gridText(r.actual) },
    {
      head: 'Detail',
      cell: (r) =>
        [
          r.sentence,
          ...(r.hypothesis !== undefined ? [hypothesisText(r)] : []),
          ...(r.waivedBy !== undefined ? [`waived by ${r.waivedBy}`] : []),
          ...r.tags.map(tagText),
        ].join(' · '),
    },
    { head: 'Where', cell: (r) => locationText(r.at), key: (r) => locationText(r.at) },
  ];
}

const STYLE = `
:root{color-scheme:light dark;--fail:#cf222e;--warn:#bf8700;--waived:#8c959f;--expected:#0969da;--info:#6e7781;--ok:#1a7f37;--fg:#1f2328;--bg:#fff;--line:#d0d7de}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--line:#30363d}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.banner.fail{color:var(--fail)}.banner.pass{color:var(--ok)}
.muted,.caption,.inputs{color:var(--info)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
ul.counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:12px 0}
ul.counts li{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:90px}
ul.counts .n{display:block;font-size:22px;font-weight:600}
li.st-fail,tr.st-fail td:first-child{color:var(--fail)}li.st-warn,tr.st-warn td:first-child{color:var(--warn)}
li.st-waived,tr.st-waived td:first-child{color:var(--waived)}li.st-expected,tr.st-expected td:first-child{color:var(--expected)}
li.st-info,tr.st-info td:first-child{color:var(--info)}li.st-ok,tr.st-ok td:first-child{color:var(--ok)}
rect.st-fail{fill:var(--fail)}rect.st-warn{fill:var(--warn)}rect.st-waived{fill:var(--waived)}
rect.st-expected{fill:var(--expected)}rect.st-info{fill:var(--info)}rect.st-ok{fill:var(--ok)}
svg{width:100%;max-width:${CHART_WIDTH}px;height:auto;display:block}
svg .grid{stroke:var(--line);stroke-width:.5}svg .axis{stroke:var(--info)}svg .tick{font-size:10px;fill:var(--info)}
.controls{display:flex;gap:8px;align-items:center;margin:8px 0}
input,select{font:inherit;padding:4px 6px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
td{overflow-wrap:break-word}.scroll{overflow-x:auto}td:nth-child(8),td:nth-child(9),td:nth-child(11){font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
th[data-col]{cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.st-fail td:first-child,tr.st-warn td:first-child{font-weight:600}
pre{overflow:auto;border:1px solid var(--line);padding:8px}
`;

/** Sorting compares keys (numbers numerically, text by code unit, empty last); filtering matches text. */
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('dlcverify-data').textContent);
  var tbody = document.querySelector('#rows tbody');
  var rows = Array.prototype.slice.call(tbody.rows);
  var filter = document.getElementById('filter');
  var status = document.getElementById('status-filter');
  var shown = document.getElementById('shown');
  function apply() {
    var q = filter.value.trim().toLowerCase();
    var st = status.value;
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var d = data.rows[i];
      var visible = (st === '' || d.s === st) && (q === '' || d.q.indexOf(q) >= 0);
      rows[i].hidden = !visible;
      if (visible) n++;
    }
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  function cmp(a, b) {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a) < String(b) ? -1 : 1;
  }
  var heads = document.querySelectorAll('#rows th[data-col]');
  Array.prototype.forEach.call(heads, function (th) {
    th.addEventListener('click', function () {
      var col = Number(th.getAttribute('data-col'));
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var order = rows.map(function (_, i) { return i; });
      order.sort(function (i, j) {
        var a = data.rows[i].k[col], b = data.rows[j].k[col];
        if (a === null || b === null) return cmp(a, b) || i - j;
        return dir * cmp(a, b) || i - j;
      });
      var fragment = document.createDocumentFragment();
      order.forEach(function (i) { fragment.appendChild(rows[i]); });
      tbody.appendChild(fragment);
    });
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); th.click(); }
    });
  });
  filter.addEventListener('input', apply);
  status.addEventListener('change', apply);
  apply();
})();
`;

function inputsHtml(report: Report): string {
  const ref = (r: { file: string; format: string; family?: string }): string =>
    `<code>${escapeHtml(r.file)}</code> (${escapeHtml([r.format, r.family].filter(Boolean).join(', '))})`;
  if (report.kind === 'check') return report.models.map(ref).join(', ');
  return report.kind === 'verify' ? `${ref(report.dlc)} against ${ref(report.source)}` : `${ref(report.before)} → ${ref(report.after)}`;
}

export function renderHtml(report: Report, options: RenderOptions): string {
  return [...htmlParts(report, options)].join('');
}

/** The page in pieces: the rows' table and their data are written a row at a time. */
export function renderHtmlChunks(report: Report, options: RenderOptions): Iterable<string> {
  return chunked(htmlParts(report, options));
}

function* htmlParts(report: Report, options: RenderOptions): Generator<string> {
  const all = allRows(report);
  const counts = countRows(all);
  const rows = visibleRows(all, options.verbose);
  const cols = columns(report);
  const ok = report.summary.exitCode === 0;
  const noun = report.kind === 'verify' ? 'tensors' : report.kind === 'diff' ? 'changed encodings' : 'findings';

  const countItems = [
    `<li data-status="total"><span class="n" id="count-total">${counts.total}</span> ${report.kind === 'verify' ? 'results' : report.kind === 'diff' ? 'changes' : 'findings'}</li>`,
    ...STATUS_ORDER.map(
      (s) => `<li class="st-${s}" data-status="${s}"><span class="n" id="count-${s}">${countOf(counts, s)}</span> ${escapeHtml(statusNoun(s, countOf(counts, s)))}</li>`,
    ),
  ];

  const head = cols
    .map((c, i) => (c.key !== undefined ? `<th data-col="${i}" scope="col" tabindex="0">${escapeHtml(c.head)}</th>` : `<th scope="col">${escapeHtml(c.head)}</th>`))
    .join('');
  const bodyRow = (r: Row): string => `<tr class="st-${r.status}">${cols.map((c) => `<td>${escapeHtml(c.cell(r))}</td>`).join('')}</tr>`;
  // The page's data, `{"schemaVersion":…,"rows":[…]}`, one row at a time.
  const dataRow = (r: Row): string =>
    jsonForScript({
      s: r.status,
      k: cols.map((c) => (c.key !== undefined ? c.key(r) : null)),
      q: [r.graph ?? '', r.group, subjectText(r), r.code, r.title, r.sentence, r.waivedBy ?? '', locationText(r.at)].join(' ').toLowerCase(),
    });

  const unlisted = all.length - rows.length;
  const notes: string[] = [
    ...(unlisted > 0
      ? [
          `<li>${escapeHtml(
            report.kind === 'verify'
              ? `${plural(unlisted, 'tensor')} not named by the source: counted, not listed (use --verbose).`
              : report.kind === 'check'
                ? `${plural(unlisted, 'passing check')} (seams, shared weights, conversions): counted, not listed (use --verbose).`
                : `${plural(unlisted, 'unchanged encoding')}: counted, not listed (use --verbose).`,
          )}</li>`,
        ]
      : []),
    ...report.notes.map((n) => `<li>${escapeHtml(n)}</li>`),
    ...report.diagnostics.map(
      (d) =>
        `<li><code>${escapeHtml(d.code)}</code> (${escapeHtml(d.severity)}${d.at.file !== undefined || d.at.line !== undefined ? `, ${escapeHtml(locationText(d.at))}` : ''}): ` +
        `${escapeHtml(diagnosticSentence(d.code, d.detail))}</li>`,
    ),
  ];
  const coverage =
    report.kind === 'verify'
      ? `<p>Coverage: ${report.coverage.matched} of ${report.coverage.sourceEntries} source entries matched, ` +
        `${report.coverage.sourceOnly} only in the source, ${report.coverage.dlcOnly} only in the DLC` +
        `${report.coverage.byRule.size > 0 ? ` (match rules: ${escapeHtml(sortedEntries(report.coverage.byRule).map(([k, v]) => `${k} ${v}`).join(', '))})` : ''}.</p>`
      : report.kind === 'check'
        ? `<p>Coverage: ${report.coverage.seams} seam(s) in ${report.coverage.seamPairs.length} pair(s) of parts, ${report.coverage.sharedWeights} shared weight(s), ` +
          `${report.coverage.encodings} encodings (${report.coverage.channels} channels) in ${report.coverage.graphs} graph(s), ${report.coverage.converted} bitwidth conversion(s).</p>`
        : '';
  const opDiff =
    report.kind === 'diff' && report.opListDiff.trim() !== ''
      ? `<section id="op-diff"><h2>Op list diff</h2><details open><summary>unified diff of the op lists</summary><pre>${escapeHtml(report.opListDiff)}</pre></details></section>`
      : '';

  const statusOptions = STATUS_ORDER.filter((s) => countOf(counts, s) > 0)
    .map((s) => `<option value="${s}">${escapeHtml(STATUS_LABEL[s])} (${countOf(counts, s)})</option>`)
    .join('');

  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`${verdictWord(report)} · ${reportTitle(report)}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1 id="verdict" class="banner ${ok ? 'pass' : 'fail'}">${ok ? '✓' : '✗'} ${escapeHtml(verdictWord(report))}</h1>
<p id="headline"><strong>${escapeHtml(report.summary.headline)}</strong></p>
<p class="inputs">${inputsHtml(report)}</p>
</header>
<section id="summary">
<ul class="counts">${countItems.join('')}</ul>
${coverage}
</section>
<section id="chart"><h2>Deviation in steps per ${report.kind === 'diff' ? 'changed tensor' : 'tensor'}</h2>
${chart(rows, noun)}
</section>
<section id="results"><h2>${report.kind === 'verify' ? 'Results' : report.kind === 'diff' ? 'Changes' : 'Findings'}</h2>
<div class="controls"><input id="filter" type="search" placeholder="filter: name, verdict, graph, file" aria-label="filter rows">
<select id="status-filter" aria-label="status"><option value="">every status</option>${statusOptions}</select>
<span id="shown" class="muted">${rows.length} of ${rows.length} shown</span></div>
<div class="scroll"><table id="rows"><thead><tr>${head}</tr></thead>
<tbody>
`;
  for (let i = 0; i < rows.length; i++) yield `${i === 0 ? '' : '\n'}${bodyRow(rows[i]!)}`;
  yield `
</tbody></table></div>
</section>
${opDiff}
${notes.length > 0 ? `<section id="notes"><h2>Notes</h2><ul>${notes.join('')}</ul></section>` : ''}
<footer class="muted">dlcverify report, schema ${escapeHtml(report.schemaVersion)}</footer>
<script type="application/json" id="dlcverify-data">${jsonForScript({ schemaVersion: report.schemaVersion }).slice(0, -1)},"rows":[`;
  for (let i = 0; i < rows.length; i++) yield `${i === 0 ? '' : ','}${dataRow(rows[i]!)}`;
  yield `]}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
