// The diagnostics parsers against real compiler and runtime output captured from our sandboxes
// (`verdict run <file> --json`; test/fixtures/diagnostics/<lang>/NAME.txt, the program beside it as
// NAME.src.<ext> or NAME.src.<file name>). cpp/color.txt and rust/color.txt were captured in the same
// images with -fdiagnostics-color=always / --color=always (outside the sandbox, hence ASCII quotes).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileDiagnostics, runtimeDiagnostics, type SourceDiagnostic, type SourceTexts } from '../../server/diagnostics/index';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'diagnostics');
const fixture = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

interface Expected {
  file: string;
  line: number;
  column: number;
  endColumn?: number;
  severity: SourceDiagnostic['severity'];
  message: RegExp;
  code?: string;
}

interface Case {
  lang: string;
  /** <lang>/NAME.txt */
  fixture: string;
  kind: 'compile' | 'runtime';
  /** Box name → fixture file (under <lang>/) holding that source, for the column/line fix-ups. */
  sources?: Record<string, string>;
  expect: Expected[];
}

const E = (
  file: string,
  line: number,
  column: number,
  severity: Expected['severity'],
  message: RegExp,
  more: { endColumn?: number; code?: string } = {},
): Expected => ({ file, line, column, severity, message, ...more });

const cases: Record<string, Case> = {
  // ------------------------------------------------------------------ C / C++ (gcc 12)
  'c: syntax error': {
    lang: 'c',
    fixture: 'syntax',
    kind: 'compile',
    expect: [E('main.c', 5, 5, 'error', /^expected ‘,’ or ‘;’ before ‘printf’$/, { endColumn: 11 })],
  },
  'c: undeclared identifier (its note dropped)': {
    lang: 'c',
    fixture: 'semantic',
    kind: 'compile',
    expect: [E('main.c', 9, 20, 'error', /^‘y’ undeclared \(first use in this function\)$/, { endColumn: 21 })],
  },
  'c: errors and a warning in one output': {
    lang: 'c',
    fixture: 'multi',
    kind: 'compile',
    expect: [
      E('main.c', 7, 21, 'error', /has no member named ‘z’/, { endColumn: 22 }),
      E('main.c', 8, 13, 'warning', /makes integer from pointer without a cast \[-Wint-conversion\]$/, { endColumn: 19 }),
      E('main.c', 9, 5, 'error', /‘foo’ undeclared/, { endColumn: 8 }),
    ],
  },
  'c: warnings, then an ld undefined reference (line 1 without the source)': {
    lang: 'c',
    fixture: 'warning',
    kind: 'compile',
    expect: [
      E('main.c', 4, 14, 'warning', /makes pointer from integer/, { endColumn: 16 }),
      E('main.c', 6, 13, 'warning', /implicit declaration of function ‘undeclared_fn’/, { endColumn: 26 }),
      E('main.c', 1, 1, 'error', /^undefined reference to `undeclared_fn'$/),
    ],
  },
  'c: ld undefined reference placed at the symbol with the source': {
    lang: 'c',
    fixture: 'warning',
    kind: 'compile',
    sources: { 'main.c': 'warning.src.c' },
    expect: [
      E('main.c', 4, 14, 'warning', /makes pointer from integer/, { endColumn: 16 }),
      E('main.c', 6, 13, 'warning', /implicit declaration/, { endColumn: 26 }),
      E('main.c', 6, 13, 'error', /^undefined reference to `undeclared_fn'$/),
    ],
  },
  'c: tabs are 8 display columns to gcc (raw without the source)': {
    lang: 'c',
    fixture: 'tabs',
    kind: 'compile',
    expect: [E('main.c', 4, 46, 'error', /‘q’ undeclared/, { endColumn: 47 })],
  },
  'c: tabs and UTF-8 mapped to character columns with the source': {
    lang: 'c',
    fixture: 'tabs',
    kind: 'compile',
    sources: { 'main.c': 'tabs.src.c' },
    expect: [E('main.c', 4, 39, 'error', /‘q’ undeclared/, { endColumn: 40 })],
  },
  'c: assert() failure at run time': {
    lang: 'c',
    fixture: 'assert',
    kind: 'runtime',
    expect: [E('main.c', 5, 1, 'error', /^Assertion `v > 0' failed\. \(in check\)$/)],
  },
  'c: assert() with the source starts at the code': {
    lang: 'c',
    fixture: 'assert',
    kind: 'runtime',
    sources: { 'main.c': 'assert.src.c' },
    expect: [E('main.c', 5, 5, 'error', /Assertion/)],
  },
  'cpp: syntax error (the fix-it and next line ignored)': {
    lang: 'cpp',
    fixture: 'syntax',
    kind: 'compile',
    expect: [E('main.cpp', 6, 22, 'error', /^expected ‘;’ before ‘return’$/, { endColumn: 23 })],
  },
  'cpp: two semantic errors': {
    lang: 'cpp',
    fixture: 'semantic',
    kind: 'compile',
    expect: [
      E('main.cpp', 8, 16, 'error', /^conversion from ‘std::vector<int>’ to non-scalar type/, { endColumn: 17 }),
      E('main.cpp', 9, 13, 'error', /‘undefinedName’ was not declared in this scope/, { endColumn: 26 }),
    ],
  },
  'cpp: ANSI colours stripped': {
    lang: 'cpp',
    fixture: 'color',
    kind: 'compile',
    expect: [
      E('main.cpp', 8, 16, 'error', /^conversion from 'std::vector<int>' to non-scalar type 'std::string'/, { endColumn: 17 }),
      E('main.cpp', 9, 13, 'error', /^'undefinedName' was not declared in this scope$/, { endColumn: 26 }),
    ],
  },
  'cpp: warnings of an accepted compile': {
    lang: 'cpp',
    fixture: 'warning',
    kind: 'compile',
    expect: [
      E('main.cpp', 8, 14, 'warning', /overflow in conversion .* \[-Woverflow\]$/, { endColumn: 17 }),
      E('main.cpp', 5, 1, 'warning', /^control reaches end of non-void function \[-Wreturn-type\]$/, { endColumn: 2 }),
    ],
  },
  'cpp: error in a system header moved to the user line that required it': {
    lang: 'cpp',
    fixture: 'template',
    kind: 'compile',
    expect: [E('main.cpp', 8, 13, 'error', /^no match for ‘operator<’ \(operand types are ‘const Key’ and ‘const Key’\)$/)],
  },
  'cpp: error in the user header helper.h': {
    lang: 'cpp',
    fixture: 'header',
    kind: 'compile',
    expect: [E('helper.h', 4, 16, 'error', /‘missing’ was not declared in this scope/, { endColumn: 23 })],
  },
  'cpp: fatal error (missing include)': {
    lang: 'cpp',
    fixture: 'fatal',
    kind: 'compile',
    expect: [E('main.cpp', 2, 10, 'error', /^nosuch\.h: No such file or directory$/, { endColumn: 20 })],
  },
  'cpp: assert() names the function': {
    lang: 'cpp',
    fixture: 'assert',
    kind: 'runtime',
    expect: [E('main.cpp', 5, 1, 'error', /^Assertion `v % 2 == 0' failed\. \(in int half\(int\)\)$/)],
  },
  'cpp: uncaught exception has no location: line 1': {
    lang: 'cpp',
    fixture: 'throw',
    kind: 'runtime',
    expect: [E('main.cpp', 1, 1, 'error', /^uncaught exception std::out_of_range: vector::_M_range_check: __n \(which is 10\)/)],
  },

  // ------------------------------------------------------------------ Python 3.11 (all from the run)
  'python3: SyntaxError (column 1 without the source)': {
    lang: 'python3',
    fixture: 'syntax',
    kind: 'runtime',
    expect: [E('main.py', 2, 1, 'error', /^SyntaxError: invalid syntax$/)],
  },
  'python3: SyntaxError in an indented line, column from the source': {
    lang: 'python3',
    fixture: 'deep',
    kind: 'runtime',
    sources: { 'main.py': 'deep.src.py' },
    expect: [E('main.py', 4, 22, 'error', /^SyntaxError: invalid syntax$/, { endColumn: 23 })],
  },
  'python3: unclosed bracket': {
    lang: 'python3',
    fixture: 'unclosed',
    kind: 'runtime',
    sources: { 'main.py': 'unclosed.src.py' },
    expect: [E('main.py', 2, 12, 'error', /^SyntaxError: '\(' was never closed$/, { endColumn: 13 })],
  },
  'python3: IndentationError (no caret: the first non-blank column)': {
    lang: 'python3',
    fixture: 'indent',
    kind: 'runtime',
    sources: { 'main.py': 'indent.src.py' },
    expect: [E('main.py', 3, 7, 'error', /^IndentationError: unexpected indent$/)],
  },
  'python3: ZeroDivisionError two calls deep': {
    lang: 'python3',
    fixture: 'zero',
    kind: 'runtime',
    expect: [E('main.py', 5, 1, 'error', /^ZeroDivisionError: integer division or modulo by zero$/)],
  },
  'python3: ZeroDivisionError with the source: the ~~^^~~ range': {
    lang: 'python3',
    fixture: 'zero',
    kind: 'runtime',
    sources: { 'main.py': 'zero.src.py' },
    expect: [E('main.py', 5, 12, 'error', /^ZeroDivisionError/, { endColumn: 18 })],
  },
  'python3: KeyError deep in a block': {
    lang: 'python3',
    fixture: 'deeprt',
    kind: 'runtime',
    sources: { 'main.py': 'deeprt.src.py' },
    expect: [E('main.py', 4, 21, 'error', /^KeyError: 2$/, { endColumn: 25 })],
  },
  'python3: IndexError in a function': {
    lang: 'python3',
    fixture: 'index',
    kind: 'runtime',
    expect: [E('main.py', 2, 1, 'error', /^IndexError: list index out of range$/)],
  },
  'python3: TypeError in a method': {
    lang: 'python3',
    fixture: 'type',
    kind: 'runtime',
    expect: [E('main.py', 6, 1, 'error', /^TypeError: unsupported operand type\(s\) for \+: 'int' and 'str'$/)],
  },
  'python3: error inside the json library: the last user frame': {
    lang: 'python3',
    fixture: 'lib',
    kind: 'runtime',
    expect: [E('main.py', 5, 1, 'error', /^json\.decoder\.JSONDecodeError: Expecting property name/)],
  },
  'python3: chained exceptions: the last traceback': {
    lang: 'python3',
    fixture: 'chain',
    kind: 'runtime',
    expect: [E('main.py', 5, 1, 'error', /^RuntimeError: bad input abc$/)],
  },
  'python3: multi-line exception message: its first line': {
    lang: 'python3',
    fixture: 'raise',
    kind: 'runtime',
    expect: [E('main.py', 6, 1, 'error', /^Oops: multi$/)],
  },
  'python3: RecursionError with repeated frames': {
    lang: 'python3',
    fixture: 'recursion',
    kind: 'runtime',
    expect: [E('main.py', 2, 1, 'error', /^RecursionError: maximum recursion depth exceeded$/)],
  },
  'python3: SyntaxWarning, then the error': {
    lang: 'python3',
    fixture: 'warn',
    kind: 'runtime',
    expect: [
      E('main.py', 2, 1, 'warning', /^SyntaxWarning: "is" with a literal\. Did you mean "=="\?$/),
      E('main.py', 4, 1, 'error', /^ZeroDivisionError: division by zero$/),
    ],
  },

  // ------------------------------------------------------------------ Java 17
  'java: syntax error, column from the caret': {
    lang: 'java',
    fixture: 'syntax',
    kind: 'compile',
    expect: [E('Main.java', 3, 18, 'error', /^';' expected$/)],
  },
  'java: three errors, short detail lines kept': {
    lang: 'java',
    fixture: 'semantic',
    kind: 'compile',
    expect: [
      E('Main.java', 9, 25, 'error', /^incompatible types: int cannot be converted to String$/),
      E('Main.java', 10, 28, 'error', /^cannot find symbol\nsymbol: variable y\nlocation: class Main$/),
      E('Main.java', 11, 14, 'error', /^unexpected type\nrequired: reference\nfound: int$/),
    ],
  },
  'java: tab-indented source, caret line keeps the tabs': {
    lang: 'java',
    fixture: 'tabs',
    kind: 'compile',
    expect: [E('Main.java', 3, 11, 'error', /^incompatible types: String cannot be converted to int$/)],
  },
  'java: error in a second file ./Helper.java': {
    lang: 'java',
    fixture: 'two-files',
    kind: 'compile',
    expect: [E('Helper.java', 3, 20, 'error', /^cannot find symbol\nsymbol: variable factor/)],
  },
  'java: notes of an accepted compile (-nowarn) as info': {
    lang: 'java',
    fixture: 'warning',
    kind: 'compile',
    expect: [
      E('Main.java', 1, 1, 'info', /^Main\.java uses or overrides a deprecated API that is marked for removal\.$/),
      E('Main.java', 1, 1, 'info', /^Main\.java uses unchecked or unsafe operations\.$/),
    ],
  },
  'java: ArithmeticException, innermost frame': {
    lang: 'java',
    fixture: 'rt',
    kind: 'runtime',
    expect: [E('Main.java', 3, 1, 'error', /^java\.lang\.ArithmeticException: \/ by zero$/)],
  },
  'java: ArithmeticException with the source starts at the code': {
    lang: 'java',
    fixture: 'rt',
    kind: 'runtime',
    sources: { 'Main.java': 'rt.src.java' },
    expect: [E('Main.java', 3, 9, 'error', /ArithmeticException/)],
  },
  'java: NPE in class Solution': {
    lang: 'java',
    fixture: 'npe',
    kind: 'runtime',
    expect: [E('Solution.java', 5, 1, 'error', /^java\.lang\.NullPointerException: Cannot invoke "String\.trim\(\)"/)],
  },
  'java: JDK frames skipped, nested class': {
    lang: 'java',
    fixture: 'lib',
    kind: 'runtime',
    expect: [E('Main.java', 7, 1, 'error', /^java\.lang\.IndexOutOfBoundsException: Index 5 out of bounds for length 2$/)],
  },
  'java: exception in a lambda inside streams': {
    lang: 'java',
    fixture: 'parse',
    kind: 'runtime',
    expect: [E('Main.java', 7, 1, 'error', /^java\.lang\.NumberFormatException: For input string: "x"$/)],
  },
  'java: ExceptionInInitializerError: the cause': {
    lang: 'java',
    fixture: 'cause',
    kind: 'runtime',
    expect: [E('Main.java', 6, 1, 'error', /^java\.lang\.ArrayIndexOutOfBoundsException: Index 3/)],
  },
  'java: wrapped exception: the root cause': {
    lang: 'java',
    fixture: 'wrap',
    kind: 'runtime',
    expect: [E('Main.java', 3, 1, 'error', /^java\.lang\.IllegalStateException: inner failure$/)],
  },
  'java: StackOverflowError (1024 frames)': {
    lang: 'java',
    fixture: 'so',
    kind: 'runtime',
    expect: [E('Main.java', 3, 1, 'error', /^java\.lang\.StackOverflowError$/)],
  },

  // ------------------------------------------------------------------ JavaScript (node 18)
  'javascript: SyntaxError at load: header and caret': {
    lang: 'javascript',
    fixture: 'syntax',
    kind: 'runtime',
    expect: [E('main.js', 2, 13, 'error', /^SyntaxError: Unexpected token ';'$/)],
  },
  'javascript: unexpected end of input (no caret)': {
    lang: 'javascript',
    fixture: 'unexpected-end',
    kind: 'runtime',
    expect: [E('main.js', 7, 1, 'error', /^SyntaxError: Unexpected end of input$/)],
  },
  'javascript: ReferenceError in a function called from main': {
    lang: 'javascript',
    fixture: 'ref',
    kind: 'runtime',
    expect: [E('main.js', 2, 20, 'error', /^ReferenceError: radius is not defined$/)],
  },
  'javascript: TypeError on null': {
    lang: 'javascript',
    fixture: 'null',
    kind: 'runtime',
    expect: [E('main.js', 4, 19, 'error', /^TypeError: Cannot read properties of null \(reading '0'\)$/)],
  },
  'javascript: thrown Error in a method': {
    lang: 'javascript',
    fixture: 'throw',
    kind: 'runtime',
    expect: [E('main.js', 4, 37, 'error', /^Error: stack is empty$/)],
  },
  'javascript: anonymous callback frame': {
    lang: 'javascript',
    fixture: 'callback',
    kind: 'runtime',
    expect: [E('main.js', 2, 42, 'error', /^TypeError: Cannot read properties of undefined \(reading 'bar'\)$/)],
  },
  'javascript: JSON.parse: header is undefined:1, the user frame wins': {
    lang: 'javascript',
    fixture: 'lib',
    kind: 'runtime',
    expect: [E('main.js', 4, 15, 'error', /^SyntaxError: Unexpected end of JSON input$/)],
  },
  'javascript: thrown string: only the header': {
    lang: 'javascript',
    fixture: 'throwstr',
    kind: 'runtime',
    expect: [E('main.js', 2, 3, 'error', /^plain string$/)],
  },
  'javascript: async rejection': {
    lang: 'javascript',
    fixture: 'async',
    kind: 'runtime',
    expect: [E('main.js', 3, 20, 'error', /^RangeError: too big: 5$/)],
  },
  'javascript: stack overflow': {
    lang: 'javascript',
    fixture: 'recursion',
    kind: 'runtime',
    expect: [E('main.js', 2, 3, 'error', /^RangeError: Maximum call stack size exceeded$/)],
  },

  // ------------------------------------------------------------------ TypeScript (tsc 5 + node 18)
  'typescript: syntax error': {
    lang: 'typescript',
    fixture: 'syntax',
    kind: 'compile',
    expect: [E('main.ts', 2, 13, 'error', /^Expression expected\.$/, { code: 'TS1109' })],
  },
  'typescript: type errors, one elaborated': {
    lang: 'typescript',
    fixture: 'type',
    kind: 'compile',
    expect: [
      E('main.ts', 10, 7, 'error', /^Type 'number' is not assignable to type 'string'\.$/, { code: 'TS2322' }),
      E('main.ts', 11, 18, 'error', /^Argument of type .*'Point'\.\nProperty 'y' is missing in type/, { code: 'TS2345' }),
      E('main.ts', 12, 13, 'error', /^Cannot find name 'undefinedThing'\.$/, { code: 'TS2304' }),
    ],
  },
  'typescript: three errors incl. TS1005': {
    lang: 'typescript',
    fixture: 'unused',
    kind: 'compile',
    expect: [
      E('main.ts', 1, 5, 'error', /^Type 'string' is not assignable/, { code: 'TS2322' }),
      E('main.ts', 3, 10, 'error', /^Cannot find name 'y'\.$/, { code: 'TS2304' }),
      E('main.ts', 4, 1, 'error', /^'}' expected\.$/, { code: 'TS1005' }),
    ],
  },
  'typescript: tab and UTF-8 (tsc counts UTF-16 units)': {
    lang: 'typescript',
    fixture: 'tabs',
    kind: 'compile',
    expect: [E('main.ts', 1, 46, 'error', /^Cannot find name 'q'\.$/, { code: 'TS2304' })],
  },
  'typescript: run-time error without main.ts: line 1, JS position in the message': {
    lang: 'typescript',
    fixture: 'rt2',
    kind: 'runtime',
    expect: [E('main.ts', 1, 1, 'error', /^Error: negative: -2 \(at main\.js:3:15 of the compiled JavaScript\)$/)],
  },
  'typescript: run-time error mapped back by the thrown line': {
    lang: 'typescript',
    fixture: 'rt2',
    kind: 'runtime',
    sources: { 'main.ts': 'rt2.src.ts' },
    expect: [E('main.ts', 2, 20, 'error', /^Error: negative: -2$/)],
  },
  'typescript: thrown line changed by tsc (`!` erased): line 1': {
    lang: 'typescript',
    fixture: 'rt',
    kind: 'runtime',
    sources: { 'main.ts': 'rt.src.ts' },
    expect: [E('main.ts', 1, 1, 'error', /^TypeError: Cannot read properties of undefined \(reading 'name'\) \(at main\.js:5:21 /)],
  },

  // ------------------------------------------------------------------ Go
  'go: syntax error': {
    lang: 'go',
    fixture: 'syntax',
    kind: 'compile',
    expect: [E('main.go', 8, 16, 'error', /^syntax error: unexpected newline in argument list; possibly missing comma or \)$/)],
  },
  'go: type errors and unused import/variable': {
    lang: 'go',
    fixture: 'semantic',
    kind: 'compile',
    expect: [
      E('main.go', 5, 2, 'error', /^imported and not used: "os"$/),
      E('main.go', 13, 17, 'error', /^cannot use twice\(3\)/),
      E('main.go', 14, 14, 'error', /^undefined: y$/),
      E('main.go', 15, 2, 'error', /^unused declared but not used$/),
    ],
  },
  'go: ten errors, "too many errors" dropped': {
    lang: 'go',
    fixture: 'many',
    kind: 'compile',
    expect: Array.from({ length: 10 }, (_, i) => E('main.go', 6 + i, 14, 'error', new RegExp(`^undefined: a${i + 1}$`))),
  },
  'go: byte columns (raw without the source)': {
    lang: 'go',
    fixture: 'tabs',
    kind: 'compile',
    expect: [E('main.go', 4, 26, 'error', /^undefined: q$/)],
  },
  'go: byte columns to characters with the source': {
    lang: 'go',
    fixture: 'tabs',
    kind: 'compile',
    sources: { 'main.go': 'tabs.src.go' },
    expect: [E('main.go', 4, 25, 'error', /^undefined: q$/)],
  },
  'go: index out of range in an inlined function': {
    lang: 'go',
    fixture: 'panic',
    kind: 'runtime',
    expect: [E('main.go', 6, 1, 'error', /^panic: runtime error: index out of range \[5\] with length 3$/)],
  },
  'go: integer divide by zero': {
    lang: 'go',
    fixture: 'div',
    kind: 'runtime',
    sources: { 'main.go': 'div.src.go' },
    expect: [E('main.go', 6, 2, 'error', /^panic: runtime error: integer divide by zero$/)],
  },
  'go: nil pointer in a method (signal line skipped)': {
    lang: 'go',
    fixture: 'nil',
    kind: 'runtime',
    expect: [E('main.go', 11, 1, 'error', /^panic: runtime error: invalid memory address or nil pointer dereference$/)],
  },
  'go: custom panic': { lang: 'go', fixture: 'custom', kind: 'runtime', expect: [E('main.go', 11, 1, 'error', /^panic: bad number: x1$/)] },
  'go: panic in a callback under sort.Slice': {
    lang: 'go',
    fixture: 'lib',
    kind: 'runtime',
    expect: [E('main.go', 12, 1, 'error', /^panic: assignment to entry in nil map$/)],
  },
  'go: fatal error (deadlock)': {
    lang: 'go',
    fixture: 'deadlock',
    kind: 'runtime',
    expect: [E('main.go', 5, 1, 'error', /^fatal error: all goroutines are asleep - deadlock!$/)],
  },

  // ------------------------------------------------------------------ Rust 1.63
  'rust: syntax error': {
    lang: 'rust',
    fixture: 'syntax',
    kind: 'compile',
    expect: [E('main.rs', 2, 14, 'error', /^expected `;`, found `println`$/, { endColumn: 15 })],
  },
  'rust: two errors with codes, in output order': {
    lang: 'rust',
    fixture: 'semantic',
    kind: 'compile',
    expect: [
      E('main.rs', 7, 20, 'error', /^cannot find value `y` in this scope$/, { code: 'E0425', endColumn: 21 }),
      E('main.rs', 6, 21, 'error', /^mismatched types$/, { code: 'E0308', endColumn: 29 }),
    ],
  },
  'rust: ANSI colours stripped': {
    lang: 'rust',
    fixture: 'color',
    kind: 'compile',
    expect: [
      E('main.rs', 7, 20, 'error', /^cannot find value `y` in this scope$/, { code: 'E0425', endColumn: 21 }),
      E('main.rs', 6, 21, 'error', /^mismatched types$/, { code: 'E0308', endColumn: 29 }),
    ],
  },
  'rust: borrow checker': {
    lang: 'rust',
    fixture: 'borrow',
    kind: 'compile',
    expect: [E('main.rs', 4, 27, 'error', /^borrow of moved value: `v`$/, { code: 'E0382', endColumn: 28 })],
  },
  'rust: warnings (summary line dropped), a `-` span over the `^` one': {
    lang: 'rust',
    fixture: 'warning',
    kind: 'compile',
    expect: [
      E('main.rs', 6, 9, 'warning', /^unused variable: `unused`$/, { endColumn: 15 }),
      E('main.rs', 7, 9, 'warning', /^variable does not need to be mutable$/, { endColumn: 14 }),
      E('main.rs', 1, 4, 'warning', /^function `helper` is never used$/, { endColumn: 10 }),
    ],
  },
  'rust: error in a module file helper.rs': {
    lang: 'rust',
    fixture: 'mod',
    kind: 'compile',
    expect: [E('helper.rs', 2, 9, 'error', /^cannot find value `undefined_factor`/, { code: 'E0425', endColumn: 25 })],
  },
  'rust: tab shown as 4 spaces: the ^ run length': {
    lang: 'rust',
    fixture: 'tabs',
    kind: 'compile',
    expect: [E('main.rs', 2, 27, 'error', /^cannot find value `q`/, { code: 'E0425', endColumn: 28 })],
  },
  'rust: index out of bounds in a function': {
    lang: 'rust',
    fixture: 'panic',
    kind: 'runtime',
    expect: [E('main.rs', 2, 5, 'error', /^index out of bounds: the len is 3 but the index is 7$/)],
  },
  'rust: unwrap on Err': {
    lang: 'rust',
    fixture: 'unwrap',
    kind: 'runtime',
    expect: [E('main.rs', 2, 29, 'error', /^called `Result::unwrap\(\)` on an `Err` value: ParseIntError/)],
  },
  'rust: explicit panic!': {
    lang: 'rust',
    fixture: 'div',
    kind: 'runtime',
    expect: [E('main.rs', 3, 9, 'error', /^custom: division of 10 by zero$/)],
  },

  // ------------------------------------------------------------------ C# (mcs / mono)
  'csharp: syntax error': {
    lang: 'csharp',
    fixture: 'syntax',
    kind: 'compile',
    expect: [E('main.cs', 8, 8, 'error', /^Unexpected symbol `Console'$/, { code: 'CS1525' })],
  },
  'csharp: two errors (summary line dropped)': {
    lang: 'csharp',
    fixture: 'semantic',
    kind: 'compile',
    expect: [
      E('main.cs', 12, 20, 'error', /^Cannot implicitly convert type `int' to `string'$/, { code: 'CS0029' }),
      E('main.cs', 13, 27, 'error', /^The name `y' does not exist/, { code: 'CS0103' }),
    ],
  },
  'csharp: three warnings': {
    lang: 'csharp',
    fixture: 'warning',
    kind: 'compile',
    expect: [
      E('main.cs', 9, 22, 'warning', /^Unreachable code detected$/, { code: 'CS0162' }),
      E('main.cs', 7, 13, 'warning', /`unused' is assigned/, { code: 'CS0219' }),
      E('main.cs', 8, 13, 'warning', /`x' is declared but never used/, { code: 'CS0168' }),
    ],
  },
  'csharp: tabs count 1': {
    lang: 'csharp',
    fixture: 'tabs',
    kind: 'compile',
    expect: [E('main.cs', 4, 31, 'error', /`q'/, { code: 'CS0103' })],
  },
  'csharp: mono has no line numbers: line 1, innermost user method named': {
    lang: 'csharp',
    fixture: 'null',
    kind: 'runtime',
    expect: [
      E(
        'main.cs',
        1,
        1,
        'error',
        /^System\.NullReferenceException: Object reference not set to an instance of an object \(in Program\.Name\)$/,
      ),
    ],
  },
  'csharp: divide by zero (inlined into Main)': {
    lang: 'csharp',
    fixture: 'rt',
    kind: 'runtime',
    expect: [E('main.cs', 1, 1, 'error', /^System\.DivideByZeroException: Attempted to divide by zero\. \(in Program\.Main\)$/)],
  },
  'csharp: library frame skipped': {
    lang: 'csharp',
    fixture: 'lib',
    kind: 'runtime',
    expect: [E('main.cs', 1, 1, 'error', /^System\.ArgumentOutOfRangeException: .* \(in Program\.Main\)$/)],
  },

  // ------------------------------------------------------------------ Pascal (fpc)
  'pascal: syntax error (Fatal)': {
    lang: 'pascal',
    fixture: 'syntax',
    kind: 'compile',
    expect: [E('main.pas', 6, 3, 'error', /^Syntax error, ";" expected but "identifier WRITELN" found$/)],
  },
  'pascal: three errors, summaries dropped': {
    lang: 'pascal',
    fixture: 'semantic',
    kind: 'compile',
    expect: [
      E('main.pas', 6, 8, 'error', /^Incompatible types: got "ShortInt" expected "ShortString"$/),
      E('main.pas', 7, 11, 'error', /^Identifier not found "y"$/),
      E('main.pas', 8, 8, 'error', /^Incompatible types: got "Char"/),
    ],
  },
  'pascal: warning and note': {
    lang: 'pascal',
    fixture: 'warning',
    kind: 'compile',
    expect: [
      E('main.pas', 6, 12, 'warning', /^Variable "r" does not seem to be initialized$/),
      E('main.pas', 3, 6, 'info', /^Local variable "unused" not used$/),
    ],
  },
  'pascal: Fatal with a column': {
    lang: 'pascal',
    fixture: 'fatal',
    kind: 'compile',
    expect: [E('main.pas', 2, 6, 'error', /^Can't find unit NoSuchUnit used by Bad$/)],
  },
  'pascal: Fatal without a column': {
    lang: 'pascal',
    fixture: 'eof',
    kind: 'compile',
    expect: [E('main.pas', 4, 1, 'error', /^Unexpected end of file$/)],
  },
  'pascal: byte columns to characters with the source': {
    lang: 'pascal',
    fixture: 'tabs',
    kind: 'compile',
    sources: { 'main.pas': 'tabs.src.pas' },
    expect: [E('main.pas', 4, 21, 'error', /^Identifier not found "q"$/)],
  },
  'pascal: runtime error 200 has no line: line 1': {
    lang: 'pascal',
    fixture: 'rt',
    kind: 'runtime',
    expect: [E('main.pas', 1, 1, 'error', /^Runtime error 200 \(division by zero\)$/)],
  },
  'pascal: runtime error 201': {
    lang: 'pascal',
    fixture: 'range',
    kind: 'runtime',
    expect: [E('main.pas', 1, 1, 'error', /^Runtime error 201 \(range check error\)$/)],
  },

  // ------------------------------------------------------------------ Ruby 3.1
  'ruby: syntax error at end of input': {
    lang: 'ruby',
    fixture: 'syntax',
    kind: 'runtime',
    expect: [E('main.rb', 6, 1, 'error', /^syntax error, unexpected end-of-input, expecting `end'$/)],
  },
  'ruby: two syntax errors, one with a caret': {
    lang: 'ruby',
    fixture: 'syntax2',
    kind: 'runtime',
    expect: [
      E('main.rb', 3, 1, 'error', /^syntax error, unexpected `end'$/),
      E('main.rb', 5, 10, 'error', /^syntax error, unexpected '\)', expecting `end'$/, { endColumn: 11 }),
    ],
  },
  'ruby: syntax error with a ^~~~ range': {
    lang: 'ruby',
    fixture: 'warn',
    kind: 'runtime',
    expect: [E('main.rb', 4, 3, 'error', /^syntax error, unexpected local variable or method, expecting '\]'$/, { endColumn: 7 })],
  },
  'ruby: warning, then an exception at top level': {
    lang: 'ruby',
    fixture: 'warn2',
    kind: 'runtime',
    expect: [
      E('main.rb', 2, 1, 'warning', /^found `= literal' in conditional, should be ==$/),
      E('main.rb', 8, 1, 'error', /^ArgumentError \(ArgumentError\)$/),
    ],
  },
  'ruby: ZeroDivisionError two calls deep': {
    lang: 'ruby',
    fixture: 'zero',
    kind: 'runtime',
    expect: [E('main.rb', 2, 1, 'error', /^divided by 0 \(ZeroDivisionError\)$/)],
  },
  'ruby: NoMethodError with error_highlight': {
    lang: 'ruby',
    fixture: 'nil',
    kind: 'runtime',
    expect: [E('main.rb', 7, 16, 'error', /^undefined method `upcase' for nil:NilClass \(NoMethodError\)$/, { endColumn: 23 })],
  },
  'ruby: NameError with error_highlight': {
    lang: 'ruby',
    fixture: 'undef',
    kind: 'runtime',
    expect: [E('main.rb', 2, 8, 'error', /^undefined local variable or method `undefined_thing'/, { endColumn: 23 })],
  },
  'ruby: raised in a block by Kernel#Integer': {
    lang: 'ruby',
    fixture: 'lib',
    kind: 'runtime',
    expect: [E('main.rb', 2, 1, 'error', /^invalid value for Integer\(\): "x1" \(ArgumentError\)$/)],
  },
  'ruby: raised inside the json library: first user frame': {
    lang: 'ruby',
    fixture: 'json',
    kind: 'runtime',
    expect: [E('main.rb', 4, 1, 'error', /unexpected token at '\{bad' \(JSON::ParserError\)$/)],
  },

  // ------------------------------------------------------------------ PHP 8 (each message printed twice)
  'php: parse error': {
    lang: 'php',
    fixture: 'syntax',
    kind: 'runtime',
    expect: [E('main.php', 3, 1, 'error', /^syntax error, unexpected token ";"$/)],
  },
  'php: DivisionByZeroError in a function': {
    lang: 'php',
    fixture: 'zero',
    kind: 'runtime',
    expect: [E('main.php', 3, 1, 'error', /^Uncaught DivisionByZeroError: Division by zero$/)],
  },
  'php: call on null': {
    lang: 'php',
    fixture: 'null',
    kind: 'runtime',
    expect: [E('main.php', 3, 1, 'error', /^Uncaught Error: Call to a member function getName\(\) on null$/)],
  },
  'php: undefined function': {
    lang: 'php',
    fixture: 'undef',
    kind: 'runtime',
    sources: { 'main.php': 'undef.src.php' },
    expect: [E('main.php', 3, 5, 'error', /^Uncaught Error: Call to undefined function undefined_fn\(\)$/)],
  },
  'php: TypeError (paths in the message shortened)': {
    lang: 'php',
    fixture: 'type',
    kind: 'runtime',
    expect: [
      E(
        'main.php',
        6,
        1,
        'error',
        /^Uncaught TypeError: Box::add\(\): Argument #1 \(\$o\) must be of type int, string given, called in main\.php on line 10/,
      ),
    ],
  },
  'php: warnings then a fatal error': {
    lang: 'php',
    fixture: 'warn',
    kind: 'runtime',
    expect: [
      E('main.php', 3, 1, 'warning', /^Undefined array key 10$/),
      E('main.php', 4, 1, 'warning', /^Undefined variable \$undefinedVar$/),
      E('main.php', 5, 1, 'error', /^Uncaught DivisionByZeroError: Division by zero$/),
    ],
  }, // ------------------------------------------------------------------ languages of issue 13 (captured from their images)
  'bash: runtime syntax': {
    lang: 'bash',
    fixture: 'syntax',
    kind: 'runtime',
    sources: { 'main.sh': 'syntax.src.sh' },
    expect: [E('main.sh', 4, 1, 'error', /^syntax error near unexpected token `fi'$/)],
  },
  'bash: runtime unbound': {
    lang: 'bash',
    fixture: 'unbound',
    kind: 'runtime',
    sources: { 'main.sh': 'unbound.src.sh' },
    expect: [E('main.sh', 3, 1, 'error', /^undefined_var: unbound variable$/)],
  },
  'd: runtime throw': {
    lang: 'd',
    fixture: 'throw',
    kind: 'runtime',
    sources: { 'main.d': 'throw.src.d' },
    expect: [E('main.d', 5, 5, 'error', /^Exception: value too large$/)],
  },
  'd: compile undefined': {
    lang: 'd',
    fixture: 'undefined',
    kind: 'compile',
    sources: { 'main.d': 'undefined.src.d' },
    expect: [E('main.d', 4, 13, 'error', /^undefined identifier ‘y’$/, { endColumn: 14 })],
  },
  'elixir: runtime compile': {
    lang: 'elixir',
    fixture: 'compile',
    kind: 'runtime',
    sources: { 'main.exs': 'compile.src.exs' },
    expect: [
      E('main.exs', 3, 5, 'warning', /^variable "unknown_var" does not exist and is being expanded /),
      E('main.exs', 3, 5, 'error', /^CompileError: undefined function unknown_var\/0 \(expected M t/),
    ],
  },
  'elixir: runtime syntax': {
    lang: 'elixir',
    fixture: 'syntax',
    kind: 'runtime',
    sources: { 'main.exs': 'syntax.src.exs' },
    expect: [E('main.exs', 3, 13, 'error', /^SyntaxError: syntax error before: '\)'$/)],
  },
  'elixir: runtime undefined': {
    lang: 'elixir',
    fixture: 'undefined',
    kind: 'runtime',
    sources: { 'main.exs': 'undefined.src.exs' },
    expect: [E('main.exs', 4, 1, 'error', /^UndefinedFunctionError: function M\.g\/1 is undefined or private$/)],
  },
  'erlang: runtime badmatch': {
    lang: 'erlang',
    fixture: 'badmatch',
    kind: 'runtime',
    sources: { 'main.erl': 'badmatch.src.erl' },
    expect: [E('main.erl', 4, 1, 'error', /^error: no function clause matching main:check\(5\) \(main\.erl, line 4\)$/)],
  },
  'erlang: compile unbound': {
    lang: 'erlang',
    fixture: 'unbound',
    kind: 'compile',
    sources: { 'main.erl': 'unbound.src.erl' },
    expect: [E('main.erl', 6, 28, 'error', /^variable 'Y' is unbound$/)],
  },
  'fortran: runtime bounds': {
    lang: 'fortran',
    fixture: 'bounds',
    kind: 'runtime',
    sources: { 'main.f90': 'bounds.src.f90' },
    expect: [E('main.f90', 6, 3, 'error', /^signal SIGSEGV: Segmentation fault - invalid memory reference\.$/)],
  },
  'fortran: runtime segv': {
    lang: 'fortran',
    fixture: 'segv',
    kind: 'runtime',
    sources: { 'main.f90': 'segv.src.f90' },
    expect: [E('main.f90', 6, 3, 'error', /^signal SIGILL: Illegal instruction\.$/)],
  },
  'fortran: compile undeclared': {
    lang: 'fortran',
    fixture: 'undeclared',
    kind: 'compile',
    sources: { 'main.f90': 'undeclared.src.f90' },
    expect: [E('main.f90', 5, 16, 'error', /^Symbol ‘b’ has no IMPLICIT type$/)],
  },
  'haskell: runtime pattern': {
    lang: 'haskell',
    fixture: 'pattern',
    kind: 'runtime',
    sources: { 'main.hs': 'pattern.src.hs' },
    expect: [E('main.hs', 2, 1, 'error', /^Non-exhaustive patterns in function f$/)],
  },
  'haskell: compile scope': {
    lang: 'haskell',
    fixture: 'scope',
    kind: 'compile',
    sources: { 'main.hs': 'scope.src.hs' },
    expect: [E('main.hs', 6, 15, 'error', /^Variable not in scope: ys :: \[a0\]$/)],
  },
  'haskell: compile warning': {
    lang: 'haskell',
    fixture: 'warning',
    kind: 'compile',
    sources: { 'main.hs': 'warning.src.hs' },
    expect: [E('main.hs', 5, 21, 'error', /^No instance for \(Num String\) arising from a use of ‘\+’$/)],
  },
  'kotlin: runtime npe': {
    lang: 'kotlin',
    fixture: 'npe',
    kind: 'runtime',
    sources: { 'main.kt': 'npe.src.kt' },
    expect: [E('main.kt', 1, 1, 'error', /^java\.lang\.IndexOutOfBoundsException: Empty list doesn't cont/)],
  },
  'kotlin: compile type': {
    lang: 'kotlin',
    fixture: 'type',
    kind: 'compile',
    sources: { 'main.kt': 'type.src.kt' },
    expect: [E('main.kt', 3, 16, 'error', /^initializer type mismatch: expected 'Int', actual 'String'\.$/)],
  },
  'lisp: compile unbalanced': {
    lang: 'lisp',
    fixture: 'unbalanced',
    kind: 'compile',
    sources: { 'main.lisp': 'unbalanced.src.lisp' },
    expect: [E('main.lisp', 1, 1, 'error', /^end of file on \/box\/main\.lisp$/)],
  },
  'lisp: runtime undefined': {
    lang: 'lisp',
    fixture: 'undefined',
    kind: 'runtime',
    sources: { 'main.lisp': 'undefined.src.lisp' },
    expect: [E('main.lisp', 4, 1, 'error', /^end of file on standard input$/)],
  },
  'lua: runtime error': {
    lang: 'lua',
    fixture: 'error',
    kind: 'runtime',
    sources: { 'main.lua': 'error.src.lua' },
    expect: [E('main.lua', 3, 5, 'error', /^too big$/)],
  },
  'lua: runtime syntax': {
    lang: 'lua',
    fixture: 'syntax',
    kind: 'runtime',
    sources: { 'main.lua': 'syntax.src.lua' },
    expect: [E('main.lua', 4, 1, 'error', /^unexpected symbol near <eof>$/)],
  },
  'nim: runtime raise': {
    lang: 'nim',
    fixture: 'raise',
    kind: 'runtime',
    sources: { 'main.nim': 'raise.src.nim' },
    expect: [E('main.nim', 3, 5, 'error', /^unhandled exception: too large \[ValueError\]$/)],
  },
  'nim: compile type': {
    lang: 'nim',
    fixture: 'type',
    kind: 'compile',
    sources: { 'main.nim': 'type.src.nim' },
    expect: [E('main.nim', 3, 8, 'error', /^type mismatch: got <int, string>$/)],
  },
  'ocaml: runtime notfound': {
    lang: 'ocaml',
    fixture: 'notfound',
    kind: 'runtime',
    sources: { 'main.ml': 'notfound.src.ml' },
    expect: [E('main.ml', 1, 16, 'error', /^exception Not_found$/, { endColumn: 30 })],
  },
  'ocaml: compile syntax': {
    lang: 'ocaml',
    fixture: 'syntax',
    kind: 'compile',
    sources: { 'main.ml': 'syntax.src.ml' },
    expect: [E('main.ml', 3, 11, 'error', /^Syntax error$/, { endColumn: 13 })],
  },
  'ocaml: compile unbound': {
    lang: 'ocaml',
    fixture: 'unbound',
    kind: 'compile',
    sources: { 'main.ml': 'unbound.src.ml' },
    expect: [E('main.ml', 3, 14, 'error', /^Unbound value totl$/, { endColumn: 18 })],
  },
  'perl: runtime die': {
    lang: 'perl',
    fixture: 'die',
    kind: 'runtime',
    sources: { 'main.pl': 'die.src.pl' },
    expect: [E('main.pl', 3, 1, 'error', /^too big$/)],
  },
  'perl: runtime syntax': {
    lang: 'perl',
    fixture: 'syntax',
    kind: 'runtime',
    sources: { 'main.pl': 'syntax.src.pl' },
    expect: [
      E('main.pl', 3, 1, 'error', /^syntax error$/),
      E('main.pl', 4, 1, 'error', /^Global symbol "\$y" requires explicit package name \(did you f/),
    ],
  },
  'prolog: runtime syntax': {
    lang: 'prolog',
    fixture: 'syntax',
    kind: 'runtime',
    sources: { 'main.pl': 'syntax.src.pro' },
    expect: [E('main.pl', 3, 13, 'error', /^Syntax error: Operand expected, unquoted comma or bar found$/)],
  },
  'prolog: runtime unknown': {
    lang: 'prolog',
    fixture: 'unknown',
    kind: 'runtime',
    sources: { 'main.pl': 'unknown.src.pro' },
    expect: [E('main.pl', 4, 5, 'error', /^Unknown procedure: undefined_pred\/1$/)],
  },
  'r: runtime nested': {
    lang: 'r',
    fixture: 'nested',
    kind: 'runtime',
    sources: { 'main.R': 'nested.src.R' },
    expect: [E('main.R', 2, 3, 'error', /^too big$/)],
  },
  'r: runtime syntax': {
    lang: 'r',
    fixture: 'syntax',
    kind: 'runtime',
    sources: { 'main.R': 'syntax.src.R' },
    expect: [E('main.R', 3, 8, 'error', /^unexpected symbol$/)],
  },
  'scala: runtime index': {
    lang: 'scala',
    fixture: 'index',
    kind: 'runtime',
    sources: { 'Main.scala': 'index.src.scala' },
    expect: [E('Main.scala', 2, 3, 'error', /^java\.lang\.ArrayIndexOutOfBoundsException: Index 5 out of bou/)],
  },
  'scala: compile syntax': {
    lang: 'scala',
    fixture: 'syntax',
    kind: 'compile',
    sources: { 'Main.scala': 'syntax.src.scala' },
    expect: [E('Main.scala', 4, 3, 'error', /^'\)' expected but '\}' found\.$/)],
  },
};

function sourcesOf(c: Case): SourceTexts {
  const out: Record<string, string> = {};
  for (const [name, file] of Object.entries(c.sources ?? {})) out[name] = fixture(path.join(c.lang, file));
  return out;
}

function parse(c: Case, text: string): SourceDiagnostic[] {
  return c.kind === 'compile' ? compileDiagnostics(c.lang, text, sourcesOf(c)) : runtimeDiagnostics(c.lang, text, sourcesOf(c));
}

function check(actual: SourceDiagnostic[], expected: Expected[]): void {
  const shown = JSON.stringify(actual, null, 1);
  assert.equal(actual.length, expected.length, `got ${shown}`);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    const { message, ...where } = e;
    assert.deepEqual(
      {
        file: a.file,
        line: a.line,
        column: a.column,
        severity: a.severity,
        ...(a.endColumn !== undefined && { endColumn: a.endColumn }),
        ...(a.code !== undefined && { code: a.code }),
      },
      where,
      `diagnostic ${i}: ${shown}`,
    );
    assert.match(a.message, message, `diagnostic ${i}`);
  });
}

describe('diagnostics from captured output', () => {
  for (const [name, c] of Object.entries(cases)) {
    test(name, () => check(parse(c, fixture(`${c.lang}/${c.fixture}.txt`)), c.expect));
  }
});

describe('CRLF output parses like LF', () => {
  for (const [name, c] of Object.entries(cases)) {
    test(name, () => check(parse(c, fixture(`${c.lang}/${c.fixture}.txt`).replace(/\n/g, '\r\n')), c.expect));
  }
  test('a CRLF source file gives the same columns', () => {
    const c = cases['c: tabs and UTF-8 mapped to character columns with the source']!;
    const crlf = fixture('c/tabs.src.c').replace(/\n/g, '\r\n');
    assert.deepEqual(compileDiagnostics('c', fixture('c/tabs.txt'), { 'main.c': crlf }), parse(c, fixture('c/tabs.txt')));
  });
});

describe('diagnostics edge cases', () => {
  test('the other kind of output gives nothing', () => {
    assert.deepEqual(compileDiagnostics('python3', fixture('python3/zero.txt')), []);
    assert.deepEqual(compileDiagnostics('javascript', fixture('javascript/ref.txt')), []);
    assert.deepEqual(runtimeDiagnostics('cpp', fixture('cpp/semantic.txt')), []);
    assert.deepEqual(runtimeDiagnostics('go', fixture('go/semantic.txt')), []);
  });

  test('empty or unrelated stderr gives nothing', () => {
    for (const lang of [
      'c',
      'cpp',
      'python3',
      'java',
      'javascript',
      'typescript',
      'go',
      'rust',
      'csharp',
      'pascal',
      'ruby',
      'php',
      'nosuchlang',
    ]) {
      assert.deepEqual(runtimeDiagnostics(lang, ''), [], lang);
      assert.deepEqual(runtimeDiagnostics(lang, 'debug: n=5\nsum = 12\n'), [], lang);
      assert.deepEqual(compileDiagnostics(lang, ''), [], lang);
    }
  });

  test("the program's own stderr before a traceback is ignored", () => {
    const stderr = 'reading input\nn=4 at step 2\n' + fixture('python3/zero.txt');
    check(runtimeDiagnostics('python3', stderr), cases['python3: ZeroDivisionError two calls deep']!.expect);
    const js = 'debug: 3\n' + fixture('javascript/ref.txt');
    check(runtimeDiagnostics('javascript', js), cases['javascript: ReferenceError in a function called from main']!.expect);
  });

  test('ANSI colours stripped from other tools too', () => {
    const red = (s: string) => s.replace(/(error|warning)/g, '\x1b[1;31m$1\x1b[0m').replace(/^(\S+)/gm, '\x1b[1m$1\x1b[0m');
    const c = cases['go: type errors and unused import/variable']!;
    check(compileDiagnostics('go', red(fixture('go/semantic.txt'))), c.expect);
    check(compileDiagnostics('typescript', red(fixture('typescript/type.txt'))), cases['typescript: type errors, one elaborated']!.expect);
  });

  test('unknown languages: the generic file:line[:col] parser', () => {
    check(compileDiagnostics('cobol', fixture('go/semantic.txt')), cases['go: type errors and unused import/variable']!.expect);
    const gcc = compileDiagnostics('zig', fixture('c/multi.txt'));
    assert.deepEqual(
      gcc.map((d) => [d.file, d.line, d.column, d.severity]),
      [
        ['main.c', 7, 21, 'error'],
        ['main.c', 8, 13, 'warning'],
        ['main.c', 9, 5, 'error'],
        ['main.c', 9, 5, 'info'],
      ],
    );
    assert.match(gcc[0]!.message, /has no member named/);
    check(runtimeDiagnostics('cobol', 'lua: main.lua:3: attempt to perform arithmetic on a nil value\n'), [
      E('main.lua', 3, 1, 'error', /^attempt to perform arithmetic/),
    ]);
    check(runtimeDiagnostics('cobol', 'main.lua:3: attempt to perform arithmetic on a nil value\nstack traceback:\n'), [
      E('main.lua', 3, 1, 'error', /^attempt to perform arithmetic/),
    ]);
  });

  test('every diagnostic is well formed', () => {
    for (const c of Object.values(cases)) {
      for (const d of parse(c, fixture(`${c.lang}/${c.fixture}.txt`))) {
        assert.ok(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1, JSON.stringify(d));
        assert.ok(d.endColumn === undefined || d.endColumn > d.column, JSON.stringify(d));
        assert.ok(d.file.length > 0 && !d.file.includes('/'), JSON.stringify(d));
        assert.ok(d.message.length > 0 && !d.message.includes('\x1b') && !d.message.includes('\r'), JSON.stringify(d));
      }
    }
  });
});
