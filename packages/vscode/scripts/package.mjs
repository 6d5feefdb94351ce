// Builds a platform-specific .vsix offline: `node scripts/package.mjs [--target linux-x64]`.
// The extension's JavaScript is bundled by esbuild; the native modules it cannot bundle
// (onnxruntime-node, sharp and its libvips) are copied into the package's node_modules for the one
// target platform only, and the default model bundle rides along when it is small enough.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = path.resolve(packageDir, '../..');
const rootModules = path.join(repoRoot, 'node_modules');
const MAX_MODEL_BYTES = 30 * 1024 * 1024;
// What a running extension never reads: type declarations, source maps, TypeScript sources, docs.
// Licence files are kept whatever their extension.
const NOT_SHIPPED = /^(?!licen[cs]e|notice|copying).*\.(d\.[cm]?ts|map|ts|mts|cts|md|markdown)$/i;
const NOT_SHIPPED_DIRS = new Set(['docs', 'test', 'tests', '__tests__', 'example', 'examples']);
// What each package's install or build step needs and its code never loads: onnxruntime-node's
// `script/` downloads binaries with adm-zip and global-agent; sharp's `src/` and `install/` build it.
const INSTALL_ONLY = {
  'onnxruntime-node': { dirs: ['script'], dependencies: ['adm-zip', 'global-agent'] },
  sharp: { dirs: ['src', 'install'], dependencies: [] },
};
let trimmedBytes = 0;

const args = process.argv.slice(2);
const target = flagValue('--target') ?? `${process.platform}-${process.arch}`;
const [platform, arch] = target.split('-');
const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
const out = path.resolve(
  flagValue('--out') ?? path.join(packageDir, 'dist', `${manifest.name}-${manifest.version}-${target}.vsix`),
);

// Native parts per target: which onnxruntime binaries and which @img packages sharp needs there.
const sharpPlatform = platform === 'linux' && isMusl() ? `linuxmusl-${arch}` : target;
const nativeOptional = new Set([`@img/sharp-${sharpPlatform}`, `@img/sharp-libvips-${sharpPlatform}`]);

execFileSync(process.execPath, [path.join(packageDir, 'scripts/build.mjs')], { stdio: 'inherit' });

const stage = path.join(tmpdir(), `matryoshka-vsix-${target}`);
rmSync(stage, { recursive: true, force: true });
mkdirSync(path.join(stage, 'dist'), { recursive: true });

const { devDependencies, scripts, private: _private, ...published } = manifest;
writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md'])
  cpSync(path.join(packageDir, file), path.join(stage, file));
// The icon and the walkthrough's pages.
cpSync(path.join(packageDir, 'media'), path.join(stage, 'media'), { recursive: true });
for (const file of ['extension.js', 'worker.mjs'])
  cpSync(path.join(packageDir, 'dist', file), path.join(stage, 'dist', file));

const models = copyModels();
const copied = copyDependencies(Object.keys(manifest.dependencies ?? {}));
trimOnnxRuntime();

mkdirSync(path.dirname(out), { recursive: true });
const vsce = path.join(rootModules, '@vscode/vsce/vsce');
execFileSync(
  process.execPath,
  [
    vsce,
    'package',
    '--target',
    target,
    '--out',
    out,
    '--allow-missing-repository',
    '--skip-license',
    '--no-rewrite-relative-links',
  ],
  { cwd: stage, stdio: 'inherit' },
);
const mb = (statSync(out).size / 1024 / 1024).toFixed(1);
console.log(
  `${path.relative(process.cwd(), out)}: ${mb} MB, ${copied} packages (${(trimmedBytes / 1024 / 1024).toFixed(1)} MB of their declarations, maps, sources, docs and install-time files left out), models: ${models.join(', ') || 'none'}`,
);

function flagValue(flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function isMusl() {
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    return false;
  }
}

/** Non-fixture bundles of the repo's models/ folder that fit the size budget. */
function copyModels() {
  const dir = path.join(repoRoot, 'models');
  const taken = [];
  for (const id of existsSync(dir) ? readdirSync(dir) : []) {
    const manifestPath = path.join(dir, id, 'manifest.json');
    if (!existsSync(manifestPath)) continue;
    const bundle = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (bundle.training?.fixture) continue;
    const bytes = Object.values(bundle.files ?? {}).reduce((n, f) => n + (f.bytes ?? 0), 0);
    if (bytes > MAX_MODEL_BYTES) {
      console.warn(`models/${id}: ${bytes} bytes is over the ${MAX_MODEL_BYTES}-byte budget, not packaged`);
      continue;
    }
    for (const file of ['manifest.json', ...Object.keys(bundle.files ?? {})]) {
      cpSync(path.join(dir, id, file), path.join(stage, 'models', id, file));
    }
    taken.push(id);
  }
  return taken;
}

/**
 * Copies the production dependency closure from the hoisted node_modules, resolving each package as
 * Node would (nested node_modules first), skipping optional packages for other platforms.
 */
function copyDependencies(roots) {
  const seen = new Set();
  const queue = roots.map((name) => ({ name, from: packageDir, optional: false }));
  while (queue.length > 0) {
    const { name, from, optional } = queue.shift();
    const dir = resolvePackage(name, from);
    if (!dir) {
      if (optional) continue;
      throw new Error(`dependency ${name} (needed by ${from}) is not installed; run npm ci first`);
    }
    if (seen.has(dir)) continue;
    seen.add(dir);
    const relative = path.relative(repoRoot, dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const installOnly = INSTALL_ONLY[pkg.name] ?? { dirs: [], dependencies: [] };
    cpSync(dir, path.join(stage, relative), {
      recursive: true,
      dereference: true,
      filter: (src) => {
        const parts = path.relative(dir, src).split(path.sep);
        if (parts.includes('node_modules')) return false;
        const unused =
          NOT_SHIPPED.test(path.basename(src)) ||
          parts.some((p) => NOT_SHIPPED_DIRS.has(p)) ||
          installOnly.dirs.includes(parts[0] ?? '');
        if (!unused) return true;
        trimmedBytes += statSync(src).isFile() ? statSync(src).size : 0;
        return false;
      },
    });
    if (installOnly.dependencies.length > 0) {
      // The staged copy no longer declares them (nor the install script), so the tree stays consistent.
      const { scripts: _scripts, ...runtime } = pkg;
      runtime.dependencies = Object.fromEntries(
        Object.entries(pkg.dependencies ?? {}).filter(([dep]) => !installOnly.dependencies.includes(dep)),
      );
      writeFileSync(path.join(stage, relative, 'package.json'), `${JSON.stringify(runtime, null, 2)}\n`);
    }
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (!installOnly.dependencies.includes(dep)) queue.push({ name: dep, from: dir, optional: false });
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      if (!dep.startsWith('@img/') || nativeOptional.has(dep))
        queue.push({ name: dep, from: dir, optional: !dep.startsWith('@img/') });
    }
  }
  for (const needed of nativeOptional) {
    if (![...seen].some((dir) => dir.endsWith(path.join('node_modules', needed)))) {
      throw new Error(
        `${needed} is not installed here: a ${target} package can only be built where npm installed it`,
      );
    }
  }
  return seen.size;
}

function resolvePackage(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.dirname(dir) || !dir.startsWith(repoRoot)) return undefined;
  }
}

/** onnxruntime-node ships every platform's binaries (~250 MB); keep the target's only. */
function trimOnnxRuntime() {
  const bin = path.join(stage, 'node_modules/onnxruntime-node/bin/napi-v6');
  if (!existsSync(path.join(bin, platform, arch))) {
    throw new Error(`onnxruntime-node has no binaries for ${target}`);
  }
  for (const p of readdirSync(bin)) {
    if (p !== platform) rmSync(path.join(bin, p), { recursive: true, force: true });
  }
  for (const a of readdirSync(path.join(bin, platform))) {
    if (a !== arch) rmSync(path.join(bin, platform, a), { recursive: true, force: true });
  }
}
