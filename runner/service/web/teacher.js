// The teacher page: the class's submissions log (filtered, newest first, exported as CSV), verdicts
// per problem, the live queue and the warm pool. It polls GET /v1/stats and GET /v1/submissions every
// two seconds while the page is visible: two small queries a poll, no connection held per teacher,
// and the server needs no class-wide event stream; a view is redrawn only when its data changed (so
// focus and scrolling stay put). Everything from the server is put in the page as text.
import { $, api, badge, clock, download, el, fill, signInFlow, statusClass } from './common.js';

const POLL_MS = 2000;
const VERDICTS = [
  'Accepted',
  'Wrong Answer',
  'Compile Error',
  'Runtime Error',
  'Time Limit Exceeded',
  'Memory Limit Exceeded',
  'Output Limit Exceeded',
  'Internal Error',
  'Cancelled',
];
let timer;
let last = { stats: '', log: '' };
let seen = new Set();
let generation = 0;

signInFlow({
  check: () => api('/v1/stats'),
  onSignedIn: (stats) => {
    renderStats(stats);
    void poll();
  },
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && !$('#app').hidden) void poll();
});
for (const id of ['#filter-problem', '#filter-limit']) $(id).addEventListener('change', () => void poll());
$('#filter-user').addEventListener('input', () => void poll());
$('#filters').addEventListener('submit', (e) => (e.preventDefault(), void poll()));
$('#csv').addEventListener('click', (e) => {
  // A link cannot send the token: fetch the export with it and save what comes.
  e.preventDefault();
  download(csvHref(), 'submissions.csv').catch((err) => fill($('#poll-error'), err.message));
});

function query(extra = {}) {
  const q = new URLSearchParams();
  const user = $('#filter-user').value.trim();
  if (user) q.set('user', user);
  if ($('#filter-problem').value) q.set('problem', $('#filter-problem').value);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q;
}
const csvHref = () => `/v1/submissions?${query({ format: 'csv' })}`;

async function poll() {
  clearTimeout(timer);
  // Only the latest poll draws (a filter typed in while one is under way starts another).
  const mine = ++generation;
  try {
    const [stats, log] = await Promise.all([api('/v1/stats'), api(`/v1/submissions?${query({ limit: $('#filter-limit').value })}`)]);
    if (mine !== generation) return;
    fill($('#poll-error'));
    renderStats(stats);
    renderLog(log);
    fill($('#live-text'), `Live · updated ${clock(stats.at)}`);
    $('#live').classList.remove('stale');
  } catch (err) {
    if (mine !== generation) return;
    fill($('#poll-error'), `Could not update: ${err.message}`);
    $('#live').classList.add('stale');
    if (err.status === 401 || err.status === 403) return;
  }
  $('#csv').href = csvHref();
  if (!document.hidden) timer = setTimeout(poll, POLL_MS);
}

function renderStats(stats) {
  const json = JSON.stringify({ ...stats, at: undefined });
  if (json === last.stats) return;
  last.stats = json;
  fill($('#class-title'), stats.class ? `Class ${stats.class}` : 'All classes');
  document.title = `Verdict — ${stats.class ?? 'all classes'}`;

  fill($('#queued'), String(stats.queue.queued));
  fill($('#running'), String(stats.queue.running));
  fill($('#server-depth'), `(server: ${stats.server.queued} waiting, ${stats.server.running} running)`);
  fill(
    $('#queue tbody'),
    stats.queue.runs.map((r) =>
      el(
        'tr',
        { className: `state-${r.state}`, attrs: { 'data-run': r.id } },
        el('th', { scope: 'row' }, r.user),
        el('td', {}, r.problem ?? (r.kind === 'run' ? 'free run' : 'inline tests')),
        el('td', {}, r.language),
        el(
          'td',
          {},
          el('span', { className: `badge state-${r.state}` }, r.state === 'queued' ? `waiting #${r.position ?? '?'}` : 'running'),
        ),
        el('td', {}, clock(r.startedAt ?? r.createdAt)),
      ),
    ),
  );
  $('#queue').hidden = stats.queue.runs.length === 0;
  $('#queue-empty').hidden = stats.queue.runs.length > 0;

  fill($('#pool-idle'), String(stats.pool.idle));
  fill($('#pool-busy'), String(stats.pool.busy));
  fill($('#pool-total'), String(stats.pool.total));
  $('#pool-bar').setAttribute('aria-label', `Warm pool: ${stats.pool.idle} warm, ${stats.pool.busy} busy`);
  fill(
    $('#pool-bar'),
    // One square a container (at most 256 drawn; the figures above count them all).
    Array.from({ length: Math.min(stats.pool.busy, 256) }, () => el('span', { className: 'slot busy', title: 'busy' })),
    Array.from({ length: Math.min(stats.pool.idle, 256 - Math.min(stats.pool.busy, 256)) }, () =>
      el('span', { className: 'slot idle', title: 'warm' }),
    ),
  );

  fill(
    $('#stats tbody'),
    stats.problems.map((p) =>
      el(
        'tr',
        { attrs: { 'data-problem': p.problem } },
        el('th', { scope: 'row' }, p.name, p.name !== p.problem ? el('span', { className: 'muted' }, ` (${p.problem})`) : undefined),
        el('td', { className: 'num', attrs: { 'data-col': 'runs' } }, String(p.runs)),
        el('td', { className: 'num', attrs: { 'data-col': 'students' } }, String(p.students)),
        el('td', { className: 'num', attrs: { 'data-col': 'solved' } }, String(p.solvedBy)),
        VERDICTS.map((v) =>
          el(
            'td',
            { className: `num ${p.verdicts[v] ? statusClass(v) : 'zero'}`, attrs: { 'data-verdict': v } },
            String(p.verdicts[v] ?? 0),
          ),
        ),
      ),
    ),
  );
  $('#stats-empty').hidden = stats.problems.length > 0;
  const select = $('#filter-problem');
  const known = [...select.options].map((o) => o.value);
  for (const p of stats.problems) if (!known.includes(p.problem)) select.append(el('option', { value: p.problem }, p.problem));
}

function renderLog(rows) {
  const json = JSON.stringify(rows);
  if (json === last.log) return;
  const first = last.log === '';
  last.log = json;
  fill(
    $('#log tbody'),
    rows.map((r) =>
      el(
        'tr',
        { className: first || seen.has(r.id) ? '' : 'arrived', attrs: { 'data-run': r.id } },
        el('td', {}, el('time', { dateTime: r.createdAt, title: r.createdAt }, clock(r.createdAt))),
        el('th', { scope: 'row' }, r.user),
        el('td', {}, r.problem || (r.kind === 'run' ? 'free run' : 'inline tests')),
        el('td', {}, r.language),
        el(
          'td',
          { attrs: { 'data-col': 'verdict' } },
          r.status ? badge(r.status) : el('span', { className: `badge state-${r.state}` }, r.state),
        ),
        el('td', { className: 'num' }, r.score === '' ? '' : String(r.score)),
        el('td', { className: 'num' }, `${Math.round(r.cpuMs)} ms`),
      ),
    ),
  );
  seen = new Set(rows.map((r) => r.id));
  $('#log-empty').hidden = rows.length > 0;
}
