// The names of Verdict's language images, for the runner that builds and runs them and for the
// language server, which checks that they exist without loading the runner. VERDICT_IMAGE_NAMESPACE
// puts a whole set under another name (a second set beside the first, e.g. to time a build from scratch).
export const IMAGE_NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/.test(process.env.VERDICT_IMAGE_NAMESPACE ?? '')
  ? process.env.VERDICT_IMAGE_NAMESPACE!
  : 'verdict';

/** A language image by its recipe (languages/images/<recipe>.Dockerfile): verdict/gcc:latest. */
export function imageName(recipe: string): string {
  return `${IMAGE_NAMESPACE}/${recipe}:latest`;
}

/** The command that builds a language's image (and those it is built FROM). */
export function imageBuildCommand(languageId: string): string {
  return `verdict images build ${languageId}`;
}
