/** The caller asked for something impossible: bad usage, unknown language, missing or oversized file. */
export declare class UsageError extends Error {
  name: string;
}
/** The spec failed validation. */
export declare class SpecInvalid extends UsageError {
  name: string;
}
/** No sandbox can be made: Docker unreachable, seccomp profile rejected, supervisor broken. Fail closed. */
export declare class SandboxUnavailable extends Error {
  name: string;
}
/** The language's image is not built. */
export declare class ImageMissing extends SandboxUnavailable {
  readonly image: string;
  readonly language: string;
  name: string;
  constructor(image: string, language: string);
}
/** The run was cancelled by its caller. */
export declare class RunCancelled extends Error {
  name: string;
  constructor();
}
