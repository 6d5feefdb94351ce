import pkg from '../package.json';

// Bundled in at build time from the package itself, so the version reported to clients cannot drift.
export const VERSION: string = pkg.version;
