// ▶ Run of a program with no NAME.stdin, in a VS Code pseudoterminal where the user types its input
// while it runs (verdict.run.input = "terminal"): each line goes to the server as it is entered
// (verdict/input, base64), Ctrl-D ends the input, Ctrl-C stops the run. The program still runs in its
// sandbox with its CPU and memory limits; the wall limit is the runner's longest (a person is typing).
// Program output arrives as verdict/output for this run's id and is shown as display text.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { InputNotification } from '../protocol/lsp';
import { displayText } from '../protocol/display';
import { ranLine } from '../protocol/report';
import { errorText } from './format';
import { RunReplaced, isCancellation, type VerdictEvents, type VerdictServer } from './language-client';

/** Text for the terminal: escaped (never obeyed), CRLF line ends. */
function terminalText(text: string): string {
  return displayText(text).replace(/\r?\n/g, '\r\n');
}

/** Starts a live run of `uri` in a new terminal; resolves when the run ends. */
export function runInTerminal(server: VerdictServer, events: VerdictEvents, uri: vscode.Uri, limits: string): Promise<void> {
  const runId = randomUUID();
  const name = uri.path.split('/').pop() ?? uri.path;
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let line = '';
  let ended = false;
  let inputEnded = false;
  const send = (text: string, eof = false) =>
    void server.client.sendNotification(InputNotification, {
      runId,
      ...(text ? { data: Buffer.from(text, 'utf8').toString('base64') } : {}),
      ...(eof ? { eof: true } : {}),
    });
  const output = events.onOutput((p) => {
    if (p.runId === runId) write.fire(terminalText(p.text));
  });
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const end = (text: string) => {
    ended = true;
    output.dispose();
    write.fire(`\r\n${terminalText(text)}\r\n\x1b[2mPress any key to close this terminal.\x1b[0m\r\n`);
    finished();
  };
  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      write.fire(
        terminalText(
          `▶ ${name} (${limits}, wall 180 s): type its input here. Enter sends a line as you type it, Ctrl-D ends the input, Ctrl-C stops it.\n`,
        ),
      );
      server
        .run(uri, undefined, { live: true, runId })
        .then((result) => end(ranLine(result)))
        .catch((e: unknown) => {
          if (e instanceof RunReplaced) end('↻ Stopped: the file was run again.');
          else if (isCancellation(e)) end('■ Stopped.');
          else end(`✘ ${errorText(e)}`);
        });
    },
    close: () => {
      if (!ended) void server.stop(uri);
    },
    handleInput: (data) => {
      if (ended) return close.fire();
      for (const ch of data) {
        if (ch === '\x03') {
          write.fire('^C');
          void server.stop(uri);
          return;
        }
        if (inputEnded) continue;
        if (ch === '\x04') {
          // Ctrl-D: what is typed on the line goes first, then the end of input.
          send(line, true);
          line = '';
          inputEnded = true;
          write.fire('^D\r\n');
        } else if (ch === '\r' || ch === '\n') {
          send(`${line}\n`);
          line = '';
          write.fire('\r\n');
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) {
            line = [...line].slice(0, -1).join('');
            write.fire('\b \b');
          }
        } else if (ch >= ' ' || ch === '\t') {
          line += ch;
          write.fire(ch);
        }
      }
    },
  };
  const terminal = vscode.window.createTerminal({ name: `Verdict: ${name}`, pty, iconPath: new vscode.ThemeIcon('play') });
  terminal.show();
  return done;
}
