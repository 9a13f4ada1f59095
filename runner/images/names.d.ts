export declare const ROOTFS_IMAGE = 'verdict/rootfs:bookworm';
export declare const BASE_IMAGE = 'verdict/base:latest';
export declare const RECIPE_LABEL = 'verdict.recipe-hash';
export declare function imageName(recipe: string): string;
