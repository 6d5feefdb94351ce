// One end-to-end session: a scratch workspace, the packaged .vsix installed into a fresh code-server,
// and a browser on its workbench. Each test file starts its own, with its own settings.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExtension, setupCodeServer, startCodeServer } from './code-server.mjs';
import { openWorkbench } from './workbench.mjs';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'packages/vscode/package.json'), 'utf8'));
const vsix =
  process.env.MATRYOSHKA_VSIX ??
  path.join(
    repoRoot,
    'packages/vscode/dist',
    `${manifest.name}-${manifest.version}-${process.platform}-${process.arch}.vsix`,
  );

/**
 * Starts a session named `name` (its screenshots and code-server log go to test-output/vscode-e2e/<name>/),
 * with `files` (relative path → text) in the workspace and `settings` as its .vscode/settings.json.
 */
export async function startSession(name, { files = {}, settings = {} } = {}) {
  assert.ok(existsSync(vsix), `${vsix} is missing: run \`npm run package -w packages/vscode\` first`);
  const artifacts = path.join(repoRoot, 'test-output', 'vscode-e2e', name);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const scratch = mkdtempSync(path.join(tmpdir(), `matryoshka-e2e-${name}-`));
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(workspace, file), text);
  const settingsFile = path.join(workspace, '.vscode/settings.json');
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  writeFileSync(
    path.join(userDataDir, 'User/settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'chat.commandCenter.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    }),
  );

  const entry = setupCodeServer();
  const installed = installExtension(entry, { userDataDir, extensionsDir, vsix });
  assert.match(installed, /successfully installed/i);
  const extensionDir = readdirSync(extensionsDir).find((d) =>
    d.startsWith(`${manifest.publisher}.${manifest.name}`),
  );
  assert.ok(extensionDir, `the extension is not in ${extensionsDir}`);
  const server = await startCodeServer(entry, {
    userDataDir,
    extensionsDir,
    logFile: path.join(artifacts, 'code-server.log'),
  });
  const { browser, page } = await openWorkbench(server.url, workspace);
  return {
    page,
    workspace,
    artifacts,
    extensionDir: path.join(extensionsDir, extensionDir),
    screenshot: (file) => page.screenshot({ path: path.join(artifacts, file) }),
    /** Rewrites the workspace settings (these + overrides) and waits for VS Code to pick them up. */
    async applySettings(overrides) {
      writeFileSync(settingsFile, JSON.stringify({ ...settings, ...overrides }, null, 2));
      await page.waitForTimeout(1500);
    },
    async stop() {
      await page.screenshot({ path: path.join(artifacts, 'final.png') }).catch(() => {});
      await browser.close().catch(() => {});
      await server.stop();
      if (!process.env.KEEP_E2E) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export async function waitFor(check, timeoutMs, describe) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
