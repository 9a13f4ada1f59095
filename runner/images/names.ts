// Names of Verdict's images. Language images are built FROM the base (or FROM another language's
// image, see recipeParent), which is built FROM the rootfs. VERDICT_IMAGE_NAMESPACE puts a whole set
// under another name (a second set beside the first, e.g. to time a build from scratch).
const namespace = /^[a-z0-9][a-z0-9._-]*$/.test(process.env.VERDICT_IMAGE_NAMESPACE ?? '')
  ? process.env.VERDICT_IMAGE_NAMESPACE!
  : 'verdict';

export const ROOTFS_IMAGE = `${namespace}/rootfs:bookworm`;
export const BASE_IMAGE = `${namespace}/base:latest`;
export const RECIPE_LABEL = 'verdict.recipe-hash';

export function imageName(recipe: string): string {
  return `${namespace}/${recipe}:latest`;
}
