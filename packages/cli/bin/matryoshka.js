#!/usr/bin/env node
// The compiled CLI lives in dist/; `npm ci` at the repository root builds it (the root "prepare").
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('matryoshka: the CLI is not built yet. Run "npm run build" in the repository root.\n');
  process.exit(1);
}
await import(entry.href);
