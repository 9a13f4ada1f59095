// The Test Cases view's script (client/test-panel.ts sends its data). Every piece of test data and
// program output is put in the page with textContent, never as HTML: it is shown, not obeyed.
// Keyboard: every action is a <button>, editors are <textarea>s; Ctrl+Enter saves an edit or runs the custom input.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  const FOLD_LINES = 12;
  const FOLD_CHARS = 1200;
  /** Editors open, by test name ('' for a new case): their text survives a refresh. */
  const editing = new Map();
  /** Data shown whole after "show all", by key. */
  const unfolded = new Set();
  let state = { file: undefined };
  let customInput = (vscode.getState() || {}).customInput || '';

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c) node.append(c);
    return node;
  }

  function button(label, title, onclick, extra) {
    return el('button', { type: 'button', title, 'aria-label': title, onclick, ...(extra || {}) }, label);
  }

  /** A block of data, folded when long, with the first difference's line (and its tail from the column) marked. */
  function data(key, label, text, diff) {
    const lines = text.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const long = lines.length > FOLD_LINES || text.length > FOLD_CHARS;
    const whole = !long || unfolded.has(key);
    let shown = whole ? lines : lines.slice(0, FOLD_LINES);
    if (!whole && shown.join('\n').length > FOLD_CHARS) shown = [shown.join('\n').slice(0, FOLD_CHARS)];
    const pre = el('pre', { class: 'data', tabindex: '0', 'aria-label': label });
    shown.forEach((line, i) => {
      const row = el('span', { class: 'line' });
      if (diff && diff.line === i + 1) {
        row.classList.add('diff-line');
        const at = Math.max(0, diff.column - 1);
        row.append(document.createTextNode(line.slice(0, at)), el('mark', { class: 'diff', text: line.slice(at) || '⏎' }));
      } else row.textContent = line;
      pre.append(row, document.createTextNode('\n'));
    });
    if (text === '') pre.append(el('span', { class: 'empty', text: '(empty)' }));
    const box = el('div', { class: 'cell' }, el('div', { class: 'label', text: label }), pre);
    if (long)
      box.append(
        button(whole ? 'Fold' : `Show all (${lines.length} lines)`, whole ? `Fold ${label}` : `Show all of ${label}`, () => {
          if (whole) unfolded.delete(key);
          else unfolded.add(key);
          render();
        }),
      );
    return box;
  }

  function editor(name, input, answer) {
    const current = editing.get(name) || { input, answer };
    editing.set(name, current);
    const save = () => vscode.postMessage({ type: 'save', ...(name === '' ? {} : { name }), input: current.input, answer: current.answer });
    const area = (label, field) =>
      el('textarea', {
        class: 'edit',
        rows: '5',
        'aria-label': label,
        spellcheck: 'false',
        oninput: (e) => (current[field] = e.target.value),
        onkeydown: (e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) save();
          if (e.key === 'Escape') {
            editing.delete(name);
            render();
          }
        },
      });
    const inputArea = area(name === '' ? 'Input of the new test' : `Input of test ${name}`, 'input');
    inputArea.value = current.input;
    const answerArea = area(name === '' ? 'Expected output of the new test' : `Expected output of test ${name}`, 'answer');
    answerArea.value = current.answer;
    return el(
      'div',
      { class: 'editor' },
      el(
        'div',
        { class: 'grid' },
        el('label', {}, el('div', { class: 'label', text: 'Input' }), inputArea),
        el('label', {}, el('div', { class: 'label', text: 'Expected' }), answerArea),
      ),
      el(
        'div',
        { class: 'actions' },
        button('Save', 'Save (Ctrl+Enter)', save, { class: 'primary' }),
        button('Cancel', 'Cancel (Escape)', () => {
          editing.delete(name);
          render();
        }),
      ),
    );
  }

  function testCard(t) {
    const r = t.result;
    const status = r ? (r.passed ? 'pass' : 'fail') : 'none';
    const head = el(
      'div',
      { class: 'card-head' },
      el('h3', { text: `Test ${t.name}` }),
      r
        ? el('span', { class: `badge ${status}`, text: `${r.passed ? '✔' : '✘'} ${r.status}` })
        : el('span', { class: 'badge none', text: 'not run' }),
      r ? el('span', { class: 'metric', title: 'CPU time', text: r.time }) : undefined,
      r ? el('span', { class: 'metric', title: 'memory', text: r.memory }) : undefined,
      t.readOnly ? el('span', { class: 'readonly', text: 'read-only' }) : undefined,
    );
    const card = el('section', { class: `card ${status}`, 'data-test': t.name, 'aria-label': `Test ${t.name}` }, head);
    if (editing.has(t.name)) card.append(editor(t.name, t.input, t.answer));
    else {
      const received =
        r === undefined
          ? el('div', { class: 'cell' }, el('div', { class: 'label', text: 'Received' }), el('pre', { class: 'data muted', text: '—' }))
          : r.received !== undefined
            ? data(`${t.name}/received`, 'Received', r.received, r.diff)
            : el(
                'div',
                { class: 'cell' },
                el('div', { class: 'label', text: 'Received' }),
                el('pre', {
                  class: 'data muted',
                  text: r.passed ? '(matches the expected output)' : '(not kept: only the first failure is)',
                }),
              );
      card.append(
        el(
          'div',
          { class: 'grid three' },
          data(`${t.name}/input`, 'Input', t.input),
          data(`${t.name}/answer`, 'Expected', t.answer, r && r.received !== undefined ? r.diff : undefined),
          received,
        ),
      );
      if (r && r.diff)
        card.append(el('div', { class: 'where', text: `first difference: output line ${r.diff.line}, col ${r.diff.column}` }));
      const actions = el(
        'div',
        { class: 'actions' },
        button('▶ Run', `Run test ${t.name}`, () => vscode.postMessage({ type: 'runOne', name: t.name })),
      );
      if (!t.readOnly)
        actions.append(
          button('Edit', `Edit test ${t.name}`, () => {
            editing.set(t.name, { input: t.input, answer: t.answer });
            render();
          }),
          button('Duplicate', `Duplicate test ${t.name}`, () => vscode.postMessage({ type: 'save', input: t.input, answer: t.answer })),
          button('Delete', `Delete test ${t.name}`, () => vscode.postMessage({ type: 'delete', name: t.name })),
        );
      // Read-only (cph's file, a hidden or package group): shown and run, never written to. No Duplicate either: a new
      // tests folder next to a cph source would hide cph's tests from the judge.
      else actions.append(el('span', { class: 'readonly', text: 'read-only: edit it where it comes from' }));
      card.append(actions);
    }
    return card;
  }

  function render() {
    const focused = document.activeElement && document.activeElement.getAttribute('aria-label');
    root.replaceChildren();
    if (!state.file) {
      root.append(el('p', { class: 'muted', text: 'Open a source file (C, C++, Python, Java, …) to see its test cases here.' }));
      return;
    }
    const header = el(
      'header',
      {},
      el('h2', { text: state.file }),
      state.source ? el('div', { class: 'muted', text: `tests: ${state.source}` }) : undefined,
    );
    root.append(header);
    if (state.problem) {
      const p = state.problem;
      const limits = [p.timeLimitMs ? `${p.timeLimitMs} ms` : '', p.memoryLimitMb ? `${p.memoryLimitMb} MB` : '']
        .filter(Boolean)
        .join(' · ');
      root.append(
        el(
          'div',
          { class: 'problem', 'aria-label': 'Problem' },
          el('strong', { text: p.name }),
          p.group ? el('span', { class: 'muted', text: ` — ${p.group}` }) : undefined,
          limits ? el('div', { class: 'limits', text: `limits: ${limits}` }) : undefined,
          p.url
            ? button('Open the problem page', `Open ${p.url}`, () => vscode.postMessage({ type: 'openLink', url: p.url }), {
                class: 'link',
              })
            : undefined,
        ),
      );
    }
    const passed = state.tests.filter((t) => t.result && t.result.passed).length;
    const run = state.tests.filter((t) => t.result).length;
    root.append(
      el(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': 'Test case actions' },
        state.busy
          ? button('■ Stop', 'Stop the run', () => vscode.postMessage({ type: 'stop' }), { class: 'primary' })
          : button('▶ Run all', 'Run all tests', () => vscode.postMessage({ type: 'runAll' }), {
              class: 'primary',
              disabled: state.tests.length === 0,
            }),
        button('+ Add case', 'Add a test case', () => {
          editing.set('', { input: '', answer: '' });
          render();
        }),
        button('Stress test…', 'Stress-test against a reference with a generator (Verdict: Stress Test)', () =>
          vscode.postMessage({ type: 'stress' }),
        ),
        el('span', {
          class: 'summary',
          text: run ? `${passed}/${state.tests.length} passed` : `${state.tests.length} test${state.tests.length === 1 ? '' : 's'}`,
        }),
      ),
    );
    if (state.error) root.append(el('p', { class: 'error', text: state.error }));
    if (editing.has(''))
      root.append(el('section', { class: 'card new', 'aria-label': 'New test' }, el('h3', { text: 'New test' }), editor('', '', '')));
    for (const t of state.tests) root.append(testCard(t));
    if (state.tests.length === 0 && !editing.has(''))
      root.append(el('p', { class: 'muted', text: 'No tests yet: add one, or receive a problem from Competitive Companion.' }));

    const custom = el('textarea', {
      class: 'edit',
      rows: '4',
      'aria-label': 'Custom input',
      spellcheck: 'false',
      placeholder: 'Input for a one-off run (not saved as a test)',
      oninput: (e) => {
        customInput = e.target.value;
        vscode.setState({ customInput });
      },
      onkeydown: (e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) vscode.postMessage({ type: 'custom', input: customInput });
      },
    });
    custom.value = customInput;
    const result = state.custom
      ? el(
          'div',
          { class: 'custom-result' },
          el('div', { class: 'custom-line', text: state.custom.line }),
          data('custom/stdout', 'Output', state.custom.stdout),
          state.custom.stderr ? data('custom/stderr', 'Standard error', state.custom.stderr) : undefined,
        )
      : undefined;
    root.append(
      el(
        'section',
        { class: 'card custom', 'aria-label': 'Run with custom input' },
        el('h3', { text: 'Custom input' }),
        custom,
        el(
          'div',
          { class: 'actions' },
          button('▶ Run with this input', 'Run with this input (Ctrl+Enter)', () =>
            vscode.postMessage({ type: 'custom', input: customInput }),
          ),
        ),
        result,
      ),
    );
    if (focused) {
      const again = [...root.querySelectorAll('[aria-label]')].find((n) => n.getAttribute('aria-label') === focused);
      if (again) again.focus();
    }
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'state') {
      state = m.file ? m : { file: undefined };
      render();
    } else if (m.type === 'busy') {
      state.busy = m.busy;
      render();
    } else if (m.type === 'saved') {
      editing.delete('');
      for (const name of [...editing.keys()]) if (name === m.name) editing.delete(name);
      render();
    }
  });
  render();
  vscode.postMessage({ type: 'ready' });
})();
