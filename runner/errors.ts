// Typed errors at the runner's boundaries. Each message names the problem and the fix;
// they are mapped once to verdicts ("Internal Error"), CLI exit codes and (later) LSP/HTTP errors.
import { imageBuildCommand } from '../protocol/images';

/** The caller asked for something impossible: bad usage, unknown language, missing or oversized file. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The spec failed validation. */
export class SpecInvalid extends UsageError {
  override name = 'SpecInvalid';
}

/** No sandbox can be made: Docker unreachable, seccomp profile rejected, supervisor broken. Fail closed. */
export class SandboxUnavailable extends Error {
  override name = 'SandboxUnavailable';
}

/** The language's image is not built. */
export class ImageMissing extends SandboxUnavailable {
  override name = 'ImageMissing';
  constructor(
    readonly image: string,
    readonly language: string,
  ) {
    super(`The image ${image} for ${language} is not built. Run \`${imageBuildCommand(language)}\` (or \`npm run images\`).`);
  }
}

/** The run was cancelled by its caller. */
export class RunCancelled extends Error {
  override name = 'RunCancelled';
  constructor() {
    super('The run was cancelled.');
  }
}
