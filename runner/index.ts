// The runner library: what the CLI, the language server and the classroom service build on.
export { Runner, type RunnerOptions, type RunOptions } from './engine';
export * from './spec';
export * from './errors';
export { displayText, DisplayStream, type DisplayOptions } from '../protocol/display';
export { loadLanguages, languageForFile, languageById, type LanguageDefinition } from './languages';
export { probeLanguages, type LanguageProbe } from './probe';
export { buildImages, type BuildEvent, type BuiltImage } from './images/build';
