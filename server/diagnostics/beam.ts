// The Erlang VM's languages. erlc (OTP 25): `main.erl:3:34: syntax error before: ']'` and
// `main.erl:5:5: Warning: variable 'X' is unused`; a crash at run time names the user's frame as
// `{main,start,0,[{file,"main.erl"},{line,3}]}`. Elixir 1.14: `** (ArithmeticError) …` with stack lines
// `    /box/main.exs:3: (file)`, and compile errors in the message (`** (CompileError) /box/main.exs:3: …`).
import type { ParseContext, SourceDiagnostic } from './types';
import { NO_COLUMN, baseName, isUserPath } from './generic';

export function erlcCompile(output: string, _ctx: ParseContext): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  for (const l of output.split('\n')) {
    const m = /^(\S+\.[eh]rl):(\d+):(?:(\d+):)? (Warning: )?(.*)$/.exec(l);
    if (m)
      out.push({
        file: baseName(m[1]!),
        line: Number(m[2]),
        column: m[3] ? Number(m[3]) : NO_COLUMN,
        severity: m[4] ? 'warning' : 'error',
        message: m[5]!.trim(),
      });
  }
  return out;
}

/**
 * A crash as languages/erlang.json's runner prints it (erl_error:format_exception): `** exception error:
 * an error occurred when evaluating an arithmetic expression` … `in call from main:start/0 (main.erl,
 * line 3)`; or the VM's own `init terminating in do_boot ({badarith,[{main,start,0,[{file,"main.erl"},{line,3}]}…`.
 */
export function erlangRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const exception = /^\*\* exception (\w+): (.*)$/m.exec(stderr);
  const crash = /(?:init terminating in do_boot \(|with exit value: )\{?([\w']+|\{[^,]+,[^}]*\})/.exec(stderr);
  if (!exception && !crash) return [];
  const message = exception ? `${exception[1]}: ${exception[2]!.trim()}` : crash![1]!.replace(/^\{|\}$/g, '');
  const frames = [...stderr.matchAll(/\((\S+\.erl), line (\d+)\)|\{file,"([^"]+)"\},\{line,(\d+)\}/g)].map((m) => ({
    file: m[1] ?? m[3]!,
    line: Number(m[2] ?? m[4]),
  }));
  // OTP's own modules print no directory either: a file among the sources wins, else one that is not OTP's.
  const user =
    frames.find((f) => ctx.sources[baseName(f.file)] !== undefined) ??
    frames.find((f) => isUserPath(f.file) && !/^(?:erl_|init\.|gen|proc_lib|lists|io|shell)/.test(baseName(f.file)));
  if (user) return [{ file: baseName(user.file), line: user.line, column: NO_COLUMN, severity: 'error', message }];
  return [{ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message }];
}

export function elixirRuntime(stderr: string, ctx: ParseContext): SourceDiagnostic[] {
  const lines = stderr.split('\n');
  const out: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    // `warning: variable "x" is unused …` then `  /box/main.exs:3: M.f/1` (or `  main.exs:3`).
    const warning = /^warning: (.*)$/.exec(lines[i]!);
    if (warning) {
      for (let j = i + 1; j < lines.length && lines[j]!.trim(); j++) {
        const at = /^\s+(\S+\.exs?):(\d+)(?::(\d+))?/.exec(lines[j]!);
        if (at && isUserPath(at[1]!)) {
          out.push({
            file: baseName(at[1]!),
            line: Number(at[2]),
            column: at[3] ? Number(at[3]) : NO_COLUMN,
            severity: 'warning',
            message: warning[1]!.trim(),
          });
          break;
        }
      }
      continue;
    }
    const error = /^\*\* \((\w+(?:\.\w+)*)\) (.*)$/.exec(lines[i]!);
    if (!error) continue;
    // A compile or syntax error names its place first: `/box/main.exs:3:13: syntax error before: ')'`.
    const placed = /^(\S+\.exs?):(\d+)(?::(\d+))?: (.*)$/.exec(error[2]!);
    if (placed && isUserPath(placed[1]!)) {
      out.push({
        file: baseName(placed[1]!),
        line: Number(placed[2]),
        column: placed[3] ? Number(placed[3]) : NO_COLUMN,
        severity: 'error',
        message: `${error[1]}: ${placed[4]}`,
      });
      return out;
    }
    const message = `${error[1]}: ${error[2]}`;
    for (const l of lines.slice(i + 1)) {
      const frame = /^\s+(\S+\.exs?):(\d+): /.exec(l);
      if (frame && isUserPath(frame[1]!)) {
        out.push({ file: baseName(frame[1]!), line: Number(frame[2]), column: NO_COLUMN, severity: 'error', message });
        return out;
      }
    }
    out.push({ file: ctx.mainFile, line: 1, column: NO_COLUMN, severity: 'error', message });
    return out;
  }
  return out;
}
