#!/usr/bin/env node
// Packs every publishable workspace (the models and the packages; not the private VS Code
// extension) with `npm pack`, as a registry would serve them. Usage:
//   node scripts/pack-packages.mjs [--out <dir>]     (default: packed/)
// then, in any project: npm install <dir>/*.tgz
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outFlag = process.argv.indexOf('--out');
const out = resolve(outFlag >= 0 ? process.argv[outFlag + 1] : join(root, 'packed'));
mkdirSync(out, { recursive: true });

const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const publishable = workspaces.filter(
  (dir) => !JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).private,
);
// --ignore-scripts: packs what `npm run build` left in dist/, without rebuilding per package.
const packed = JSON.parse(
  execFileSync(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', out, ...publishable.map((d) => `./${d}`)],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  ),
);
for (const p of packed) {
  process.stderr.write(`${p.filename}  ${(p.size / 1024 / 1024).toFixed(2)} MB, ${p.entryCount} files\n`);
}
process.stdout.write(
  `${JSON.stringify(packed.map((p) => ({ name: p.name, file: join(out, p.filename) })))}\n`,
);
