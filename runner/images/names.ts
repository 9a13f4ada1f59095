// Names of Verdict's images. Language images are built FROM the base, which is built FROM the rootfs.
export const ROOTFS_IMAGE = 'verdict/rootfs:bookworm';
export const BASE_IMAGE = 'verdict/base:latest';
export const RECIPE_LABEL = 'verdict.recipe-hash';

export function imageName(recipe: string): string {
  return `verdict/${recipe}:latest`;
}
