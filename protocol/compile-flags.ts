// Extra compiler flags a user may add to a language's compile step (`-DLOCAL`, `-O3`, `-C
// opt-level=3`), checked against the language definition's rules before anything runs. The compiler
// runs inside the sandbox with its limits either way: the refusals keep it from writing or reading
// paths of the user's choosing, loading plugins and running other programs (docs/editor.md).
// Pure data and functions, so the runner, the service and the editor's server check alike.

/** Bounds of the spec's compileFlags (protocol/spec.ts); a real command line needs far fewer. */
export const MAX_COMPILE_FLAGS = 64;
export const MAX_COMPILE_FLAG_LENGTH = 256;

/**
 * What a language definition says about extra flags (languages/flags/<name>.json, or inline in
 * `compile.flags`). A flag is refused when a `deny` pattern matches (its reason is told), else
 * accepted when an `allow` pattern matches, else refused. Patterns are regular expressions over
 * the whole flag (anchor them).
 */
export interface CompileFlagRules {
  /** The accepted flags in words, for messages: "-O…, -D…, -W…". */
  allowed: string;
  allow: string[];
  deny: Array<{ pattern: string; reason: string }>;
}

/** Refused whatever a language says: not a flag (a second source, a library file), or a response file. */
function universalProblem(flag: string): string | undefined {
  if (flag.length === 0) return 'it is empty';
  if (flag.length > MAX_COMPILE_FLAG_LENGTH) return `it is longer than ${MAX_COMPILE_FLAG_LENGTH} characters`;
  if (/[\0-\x1f\x7f]/.test(flag)) return 'it holds a control character';
  if (flag.startsWith('@')) return 'it reads more flags from a file (a response file), which cannot be checked';
  if (!flag.startsWith('-') || flag === '-' || flag === '--')
    return 'it is not a flag (a second source, library or path would be compiled in; flags start with -)';
  return undefined;
}

/**
 * Why the flags cannot be used for this language, with what is allowed; undefined when they all
 * can. `rules` undefined: the language takes none (interpreted, or its definition declares none).
 */
export function compileFlagsProblem(
  language: { id: string; name: string },
  rules: CompileFlagRules | undefined,
  flags: readonly string[],
): string | undefined {
  if (flags.length === 0) return undefined;
  if (!rules)
    return `${language.name} takes no compile flags (languages/${language.id}.json declares none): remove them (the setting verdict.languages.${language.id}.compileFlags, or --compile-flags).`;
  if (flags.length > MAX_COMPILE_FLAGS) return `At most ${MAX_COMPILE_FLAGS} compile flags can be given (got ${flags.length}).`;
  for (const flag of flags) {
    const shown = JSON.stringify(flag.length > 80 ? `${flag.slice(0, 80)}…` : flag);
    const why =
      universalProblem(flag) ??
      rules.deny.find((d) => new RegExp(d.pattern).test(flag))?.reason ??
      (rules.allow.some((p) => new RegExp(p).test(flag)) ? undefined : 'it is not among the flags this language accepts');
    if (why) return `The compile flag ${shown} is not allowed for ${language.name}: ${why}. Remove it; allowed: ${rules.allowed}.`;
  }
  return undefined;
}

/** Flags as a user types them on one line ("-DLOCAL -O3"): split on whitespace. No quoting: a flag holds no spaces. */
export function splitCompileFlags(text: string): string[] {
  return text.split(/\s+/).filter((f) => f.length > 0);
}
