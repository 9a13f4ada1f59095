// The student page: sign in with a token, pick a problem (its limits and samples) or run free code,
// pick a language, paste or upload a source, submit, and watch the run's events arrive — the place
// in the queue, the compile, each test as it ends, the output, the verdict with time and memory, and
// the first failing sample's difference. A hidden test shows only its verdict, time and memory (the
// server never sends more). Everything from the server is put in the page as text.
import { $, api, badge, display, el, fill, follow, memory, ms, signInFlow, statusClass, clock } from './common.js';

const LAST_LANGUAGE = 'verdict.language';
let languages = [];
let problems = [];
let fileName = '';
let current; // { id, controller }

signInFlow({
  check: async () => {
    fill($('#state'), 'Loading the problems and languages…');
    const [langs, probs] = await Promise.all([api('/v1/languages'), api('/v1/problems')]);
    return { langs, probs };
  },
  onSignedIn: ({ langs, probs }) => {
    languages = langs;
    problems = probs;
    fill(
      $('#language'),
      languages.map((l) => el('option', { value: l.id }, l.version ? `${l.name} — ${l.version}` : l.name)),
    );
    const last = localStorage.getItem(LAST_LANGUAGE);
    if (last && languages.some((l) => l.id === last)) $('#language').value = last;
    fill(
      $('#problem'),
      el('option', { value: '' }, 'Free run (no problem)'),
      problems.map((p) => el('option', { value: p.id }, `${p.name} (${p.id})`)),
    );
    const wanted = new URLSearchParams(location.search).get('problem');
    if (wanted && problems.some((p) => p.id === wanted)) $('#problem').value = wanted;
    showProblem();
    fill($('#state'), 'Nothing submitted yet.');
  },
});

$('#problem').addEventListener('change', showProblem);
$('#language').addEventListener('change', () => localStorage.setItem(LAST_LANGUAGE, $('#language').value));
$('#file').addEventListener('change', async () => {
  const file = $('#file').files?.[0];
  if (!file) return;
  fileName = file.name;
  $('#source').value = await file.text();
  const ext = (/\.[^.]+$/.exec(file.name)?.[0] ?? '').toLowerCase();
  const chosen = languages.find((l) => l.id === $('#language').value);
  if (!chosen?.extensions.includes(ext)) {
    const match = languages.find((l) => l.extensions.includes(ext));
    if (match) $('#language').value = match.id;
  }
});
// Ctrl+Enter (⌘+Enter) submits from the source box; Tab still leaves it, so the keyboard is never trapped.
$('#source').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !$('#submit').disabled) (e.preventDefault(), $('#submit-form').requestSubmit());
});
$('#source').addEventListener('input', () => (($('#file').value = ''), (fileName = '')));

function selectedProblem() {
  return problems.find((p) => p.id === $('#problem').value);
}

/** The chosen problem's limits, samples and the number of hidden tests; or, for a free run, the stdin box. */
function showProblem() {
  const p = selectedProblem();
  const info = $('#problem-info');
  $('#stdin-field').hidden = Boolean(p);
  info.hidden = !p;
  if (!p) return fill(info);
  const limits = [
    p.timeLimitMs !== undefined ? `Time limit ${p.timeLimitMs / 1000} s` : undefined,
    p.memoryLimitMb !== undefined ? `memory limit ${p.memoryLimitMb} MB` : undefined,
    `${p.samples.length} sample test${p.samples.length === 1 ? '' : 's'}`,
    `${p.hiddenTests} hidden`,
  ].filter(Boolean);
  fill(
    info,
    el('h2', {}, p.name),
    el('p', { className: 'muted' }, limits.join(' · ')),
    p.interactive ? el('p', {}, 'An interactive problem: your program talks with the judge.') : undefined,
    p.samples.map((s) =>
      el(
        'div',
        { className: 'sample' },
        el('h3', {}, s.name),
        el(
          'div',
          { className: 'pair' },
          el('div', {}, el('h4', {}, 'Input'), el('pre', {}, s.input)),
          el('div', {}, el('h4', {}, 'Answer'), el('pre', {}, s.answer)),
        ),
      ),
    ),
  );
}

$('#submit-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void submit();
});
$('#cancel').addEventListener('click', async () => {
  if (!current) return;
  $('#cancel').disabled = true;
  await api(`/v1/runs/${encodeURIComponent(current.id)}`, { method: 'DELETE' }).catch((err) => fill($('#submit-error'), err.message));
});

async function submit() {
  fill($('#submit-error'));
  const language = languages.find((l) => l.id === $('#language').value);
  const content = $('#source').value;
  if (!language) return fill($('#submit-error'), 'Pick a language.');
  if (!content.trim()) {
    $('#source').focus();
    return fill($('#submit-error'), 'Paste a source or upload a file first.');
  }
  const files = [{ name: fileName || `main${language.extensions[0] ?? '.txt'}`, content }];
  const problem = selectedProblem();
  const body = problem
    ? { kind: 'judge', language: language.id, files, problem: problem.id }
    : { kind: 'run', language: language.id, files, stdin: $('#stdin').value };
  current?.controller.abort();
  reset(problem);
  $('#submit').disabled = true;
  try {
    const accepted = await api('/v1/runs', { method: 'POST', body });
    const controller = new AbortController();
    current = { id: accepted.id, controller, problem };
    $('#cancel').hidden = false;
    $('#cancel').disabled = false;
    $('#result').setAttribute('aria-busy', 'true');
    onEvent({ type: 'queued', position: accepted.position ?? 1 });
    await follow(accepted.id, onEvent, controller.signal);
  } catch (err) {
    if (err.name !== 'AbortError') {
      fill($('#submit-error'), err.message);
      fill($('#state'), 'Not submitted.');
    }
  } finally {
    $('#submit').disabled = false;
    $('#cancel').hidden = true;
    $('#result').removeAttribute('aria-busy');
  }
}

/** Clears the result for a new submission. */
function reset(problem) {
  fill($('#state'), 'Sending…');
  $('#verdict').hidden = true;
  fill($('#verdict'));
  $('#tests').hidden = !problem;
  fill($('#tests tbody'));
  fill($('#tests-caption'), 'Tests');
  for (const id of ['#failure', '#compile', '#output', '#stderr', '#stderr-title']) $(id).hidden = true;
  fill($('#failure-body'));
  for (const id of ['#compile-output', '#stdout', '#stderr']) fill($(id));
}

function onEvent(event) {
  switch (event.type) {
    case 'queued':
      return fill($('#state'), `Waiting in the queue: position ${event.position}.`);
    case 'started':
      return fill($('#state'), current?.problem ? 'Judging…' : 'Running…');
    case 'compiled':
      return fill($('#state'), event.status === 'OK' ? 'Compiled. Running the tests…' : `Compile: ${event.status}.`);
    case 'output': {
      $('#output').hidden = false;
      const pre = $(event.stream === 'stderr' ? '#stderr' : '#stdout');
      pre.hidden = false;
      if (event.stream === 'stderr') $('#stderr-title').hidden = false;
      pre.append(display(event.text));
      return;
    }
    case 'test':
      $('#tests').hidden = false;
      fill($('#tests-caption'), `Tests: ${event.index + 1} of ${event.total} done`);
      $('#tests tbody').append(testRow(event.test, event.index, true));
      return fill($('#state'), `Test ${event.index + 1} of ${event.total}: ${event.test.status}.`);
    case 'done':
      return finished(event.record);
  }
}

const isSample = (name) => (current?.problem ? current.problem.samples.some((s) => s.name === name) : true);

function testRow(t, index, arrived = false) {
  const hidden = !isSample(t.name);
  return el(
    'tr',
    { className: `${statusClass(t.status)}${arrived ? ' arrived' : ''}`, attrs: { 'data-test': t.name } },
    el('td', {}, String(index + 1)),
    el('th', { scope: 'row' }, t.name, hidden ? el('span', { className: 'tag' }, 'hidden') : undefined),
    el('td', {}, badge(t.status)),
    el('td', { className: 'num' }, ms(t.timeMs)),
    el('td', { className: 'num' }, memory(t.memoryKb)),
  );
}

/** The final record: the verdict with time and memory, every test, the compiler's words, the output, the first failure. */
function finished(record) {
  const r = record.result;
  fill($('#state'), `Finished at ${clock(record.finishedAt)}.`);
  if (!r) {
    $('#verdict').hidden = false;
    return fill($('#verdict'), badge(record.state === 'cancelled' ? 'Cancelled' : 'Unknown'));
  }
  const judge = Array.isArray(r.tests);
  const time = judge ? Math.max(0, ...r.tests.map((t) => t.timeMs)) : r.timeMs;
  const mem = judge ? Math.max(0, ...r.tests.map((t) => t.memoryKb)) : r.memoryKb;
  $('#verdict').className = `verdict ${statusClass(r.status)}`;
  $('#verdict').hidden = false;
  fill(
    $('#verdict'),
    el('span', { className: 'verdict-status', id: 'verdict-status' }, r.status),
    el(
      'span',
      { className: 'verdict-figures' },
      judge ? `${r.tests.filter((t) => t.status === 'Accepted').length}/${r.tests.length} tests · ` : '',
      `time ${ms(time)} · memory ${memory(mem)}`,
      r.score ? ` · score ${r.score.score}/${r.score.maxScore}` : '',
      r.cached ? ' · from the cache' : '',
    ),
    r.message ? el('p', { className: 'verdict-message' }, display(r.message)) : undefined,
  );
  if (r.compile && (r.compile.status !== 'OK' || r.compile.output.trim())) {
    $('#compile').hidden = false;
    fill($('#compile-output'), display(r.compile.output));
  }
  if (judge) {
    $('#tests').hidden = r.tests.length === 0;
    fill($('#tests-caption'), `Tests: ${r.tests.length} judged`);
    fill(
      $('#tests tbody'),
      r.tests.map((t, i) => testRow(t, i)),
    );
    showFailure(r.tests.find((t) => t.status !== 'Accepted'));
  } else {
    $('#output').hidden = false;
    fill($('#stdout'), display(r.stdout), r.stdoutTruncated ? el('span', { className: 'note' }, '\n… (cut: the output limit)') : undefined);
    $('#stderr').hidden = $('#stderr-title').hidden = !r.stderr;
    fill($('#stderr'), display(r.stderr), r.stderrTruncated ? el('span', { className: 'note' }, '\n… (cut)') : undefined);
  }
}

/** The first failing test: for a sample, where its output differs and both texts; for a hidden test, its verdict only. */
function showFailure(t) {
  if (!t) return;
  $('#failure').hidden = false;
  const body = $('#failure-body');
  if (!isSample(t.name))
    return fill(body, el('p', {}, `${t.name}: `, badge(t.status), ' — a hidden test: only its verdict, time and memory are shown.'));
  const block = (title, text, className = '') =>
    text !== undefined
      ? el('div', {}, el('h4', {}, title), el('pre', { className: `output ${className}`, tabIndex: 0 }, display(text)))
      : undefined;
  fill(
    body,
    el('p', {}, `${t.name}: `, badge(t.status)),
    t.diff
      ? el(
          'p',
          { className: 'diff-where' },
          `First difference at line ${t.diff.line}, column ${t.diff.column}: expected `,
          el('code', { className: 'expected' }, display(t.diff.expected)),
          ', got ',
          el('code', { className: 'actual' }, display(t.diff.actual)),
        )
      : undefined,
    // The checker's words, when there is no line to point at (a validator's feedback, a crash).
    t.message && !t.diff ? el('p', {}, display(t.message)) : undefined,
    el('div', { className: 'pair' }, block('Expected', t.expected, 'expected'), block('Your output', t.actual, 'actual')),
    t.stderr ? block('Standard error', t.stderr, 'stderr') : undefined,
  );
}
