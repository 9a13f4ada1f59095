// Names of Verdict's images. Language images are built FROM the base (or FROM another language's
// image, see recipeParent), which is built FROM the rootfs. The naming rule (and
// VERDICT_IMAGE_NAMESPACE) is protocol/images.ts's, shared with the language server.
import { IMAGE_NAMESPACE, imageName } from '../../protocol/images';

export { imageName };
export const ROOTFS_IMAGE = `${IMAGE_NAMESPACE}/rootfs:bookworm`;
export const BASE_IMAGE = `${IMAGE_NAMESPACE}/base:latest`;
export const RECIPE_LABEL = 'verdict.recipe-hash';
