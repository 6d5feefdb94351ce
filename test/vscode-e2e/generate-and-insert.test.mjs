// End-to-end in a real VS Code: install the packaged .vsix into code-server, open a Markdown file,
// run "Generate Image…" and "Insert Image at Cursor" from the command palette, and check the image
// on disk and the link in the document. Run with `npm run test:e2e -w packages/vscode`.
import assert from 'node:assert/strict';
import {
  cpSync,
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
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installExtension, setupCodeServer, startCodeServer } from './code-server.mjs';
import { answerInputBox, answerQuickPick, openFile, openWorkbench, runCommand } from './workbench.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = path.join(repoRoot, 'test-output', 'vscode-e2e');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'packages/vscode/package.json'), 'utf8'));
const vsix =
  process.env.MATRYOSHKA_VSIX ??
  path.join(
    repoRoot,
    'packages/vscode/dist',
    `${manifest.name}-${manifest.version}-${process.platform}-${process.arch}.vsix`,
  );
const PROMPT = 'a red apple';

let server;
let browser;
let settingsFile;
let baseSettings;
let page;
let workspace;
let scratch;

before(async () => {
  assert.ok(existsSync(vsix), `${vsix} is missing: run \`npm run package -w packages/vscode\` first`);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  scratch = mkdtempSync(path.join(tmpdir(), 'matryoshka-e2e-'));
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  workspace = path.join(scratch, 'workspace');
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });

  writeFileSync(path.join(workspace, 'notes.md'), '# Notes\n\nAn apple:\n\n');
  // The tiny random-weight bundle keeps the test fast; it must be named, since the engine never
  // picks a fixture by itself.
  // A models folder holding only the tiny image bundle, so what the test expects (e.g. no clip model)
  // does not change when fixtures are added to the repository.
  const modelsDir = path.join(scratch, 'models');
  cpSync(path.join(repoRoot, 'test/fixtures/tiny-bundle'), path.join(modelsDir, 'tiny-bundle'), {
    recursive: true,
  });
  settingsFile = path.join(workspace, '.vscode/settings.json');
  baseSettings = {
    'matryoshka.modelsDir': modelsDir,
    'matryoshka.model': 'tiny-bundle',
    'matryoshka.steps': 4,
  };
  writeFileSync(settingsFile, JSON.stringify(baseSettings, null, 2));
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

  server = await startCodeServer(entry, {
    userDataDir,
    extensionsDir,
    logFile: path.join(artifacts, 'code-server.log'),
  });
  ({ browser, page } = await openWorkbench(server.url, workspace));
});

after(async () => {
  if (page) await page.screenshot({ path: path.join(artifacts, 'final.png') }).catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
  if (scratch && !process.env.KEEP_E2E) rmSync(scratch, { recursive: true, force: true });
});

test('Generate Image… then Insert Image at Cursor, from the command palette', {
  timeout: 240_000,
}, async () => {
  const started = Date.now();
  try {
    await openFile(page, 'notes.md');
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+End');

    await runCommand(page, 'Matryoshka: Generate Image…');
    await answerInputBox(page, PROMPT);
    const imagesDir = path.join(workspace, 'images');
    const image = await waitFor(
      () => {
        const files = existsSync(imagesDir) ? readdirSync(imagesDir).filter((f) => f.endsWith('.png')) : [];
        return files[0];
      },
      120_000,
      async () => `no image in ${imagesDir}; notifications: ${await notificationsText()}`,
    );
    assert.match(image, /^a-red-apple-\d+\.png$/);
    const bytes = readFileSync(path.join(imagesDir, image));
    assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
    await page
      .locator('.notification-toast', { hasText: 'Matryoshka: generated' })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'generated.png') });

    await runCommand(page, 'Matryoshka: Insert Image at Cursor');
    await page.keyboard.press('Control+S');
    const expected = `![${PROMPT}](images/${image})`;
    await waitFor(
      () => readFileSync(path.join(workspace, 'notes.md'), 'utf8').includes(expected),
      30_000,
      () =>
        `notes.md does not contain ${expected}:\n${readFileSync(path.join(workspace, 'notes.md'), 'utf8')}`,
    );
    await page.screenshot({ path: path.join(artifacts, 'inserted.png') });
    console.log(
      `e2e: generate + insert took ${((Date.now() - started) / 1000).toFixed(1)} s in the workbench`,
    );
  } catch (error) {
    await page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => {});
    throw error;
  }

  async function notificationsText() {
    return (
      await page
        .locator('.notification-toast')
        .allInnerTexts()
        .catch(() => [])
    ).join(' | ');
  }
});

test('Show Gallery opens the side-bar view; a click inserts the image on its own line', {
  timeout: 120_000,
}, async () => {
  try {
    await runCommand(page, 'Matryoshka: Show Gallery');
    // A view in Matryoshka's own side-bar container, not an editor tab.
    await page
      .locator('.sidebar .title-label', { hasText: /matryoshka/i })
      .first()
      .waitFor({ timeout: 30_000 });
    // VS Code draws webviews in an overlay at the workbench's root, placed over their view.
    const gallery = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const card = gallery.locator('figure', { hasText: PROMPT }).first();
    await card.waitFor({ timeout: 30_000 });
    for (const action of ['Insert', 'Copy Prompt', 'Regenerate', 'Variations', 'Delete']) {
      assert.equal(await card.getByRole('button', { name: action, exact: true }).count(), 1, action);
    }
    await page.screenshot({ path: path.join(artifacts, 'gallery.png') });
    const before = countLinks();
    await card.locator('img').click();
    // The click inserts into notes.md (in the other editor group); Save All writes it whatever has focus.
    await waitFor(
      async () => {
        await runCommand(page, 'File: Save All');
        await page.waitForTimeout(500);
        return countLinks() === before + 1;
      },
      20_000,
      async () => `expected ${before + 1} image links in notes.md`,
    );
    for (const line of readFileSync(path.join(workspace, 'notes.md'), 'utf8').split('\n')) {
      if (line.includes('!['))
        assert.match(line, /^!\[[^\]]*\]\([^)]+\)$/, `a link shares its line: ${line}`);
    }
  } catch (error) {
    await page.screenshot({ path: path.join(artifacts, 'gallery-failure.png') }).catch(() => {});
    throw error;
  }

  function countLinks() {
    return (readFileSync(path.join(workspace, 'notes.md'), 'utf8').match(/!\[a red apple\]\(images\//g) ?? [])
      .length;
  }
});

test('Regenerate with a New Seed on a link draws a new file and repoints the link', {
  timeout: 120_000,
}, async () => {
  const notes = path.join(workspace, 'notes.md');
  const linked = () => [...readFileSync(notes, 'utf8').matchAll(/\]\((images\/[^)]+)\)/g)].map((m) => m[1]);
  const before = linked();
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+End'); // on the last link of the last line
  await runCommand(page, 'Matryoshka: Regenerate with a New Seed');
  await waitFor(
    async () => {
      await runCommand(page, 'File: Save All');
      await page.waitForTimeout(500);
      const now = linked();
      return now.length === before.length && now.at(-1) !== before.at(-1);
    },
    60_000,
    async () => `the last link still points at ${before.at(-1)}:\n${readFileSync(notes, 'utf8')}`,
  );
  const regenerated = linked().at(-1);
  assert.match(regenerated, /^images\/a-red-apple-\d+\.png$/);
  assert.ok(existsSync(path.join(workspace, regenerated)), `${regenerated} is not on disk`);
  assert.deepEqual(linked().slice(0, -1), before.slice(0, -1));
});

test('Variations of This Image on a link draws four pictures from it', { timeout: 120_000 }, async () => {
  const images = path.join(workspace, 'images');
  const before = new Set(readdirSync(images));
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+End'); // on the last (generated) link: its record gives the prompt
  await runCommand(page, 'Matryoshka: Variations of This Image');
  await answerQuickPick(page, 'Balanced');
  await waitFor(
    async () => readdirSync(images).filter((f) => !before.has(f) && f.endsWith('.png')).length >= 4,
    90_000,
    async () => `no new pictures in images/: ${readdirSync(images).join(', ')}`,
  );
  const made = readdirSync(images).filter((f) => !before.has(f) && f.endsWith('.png'));
  for (const file of made) assert.match(file, /^a-red-apple-\d+\.png$/);
});

test('Generate Clip… says plainly that no clip model is installed', { timeout: 60_000 }, async () => {
  await runCommand(page, 'Matryoshka: Generate Clip…');
  await page
    .locator('.notification-toast', { hasText: 'no clip model installed' })
    .first()
    .waitFor({ timeout: 30_000 });
});

test('an engine error is shown as its message, not a stack trace', { timeout: 90_000 }, async () => {
  await applySettings({ 'matryoshka.model': 'no-such-model' });
  try {
    await runCommand(page, 'Matryoshka: Generate Image…');
    await answerInputBox(page, 'a missing model');
    const toast = page.locator('.notification-toast', { hasText: 'no-such-model' }).first();
    await toast.waitFor({ timeout: 30_000 });
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees, hidden parts excluded
    const text = await toast.innerText();
    assert.doesNotMatch(text, /\bat .*:\d+:\d+/);
    assert.doesNotMatch(text, /Error:/);
    await page.screenshot({ path: path.join(artifacts, 'error.png') });
  } finally {
    await applySettings({});
  }
});

test('Cancel on the progress notification stops the generation', { timeout: 120_000 }, async () => {
  await applySettings({ 'matryoshka.steps': 1000 });
  try {
    await runCommand(page, 'Matryoshka: Generate Image…');
    await answerInputBox(page, 'a slow pear');
    const toast = page.locator('.notification-toast', { hasText: /step \d+ of 1000/ }).first();
    await toast.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(artifacts, 'progress.png') });
    const started = Date.now();
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await toast.waitFor({ state: 'detached', timeout: 15_000 });
    // The status bar message is set only once the engine process has reported the abort.
    await page.locator('.statusbar', { hasText: 'generation cancelled' }).waitFor({ timeout: 10_000 });
    const stoppedMs = Date.now() - started;
    await page.waitForTimeout(3000);
    const written = readdirSync(path.join(workspace, 'images')).filter((f) => f.startsWith('a-slow-pear'));
    assert.deepEqual(written, []);
    assert.equal(await page.locator('.notification-toast', { hasText: 'a-slow-pear' }).count(), 0);
    console.log(`e2e: the engine acknowledged Cancel within ${stoppedMs} ms`);
  } finally {
    await applySettings({});
  }
});

/** Rewrites the workspace settings (base + overrides) and waits for VS Code to pick them up. */
async function applySettings(overrides) {
  writeFileSync(settingsFile, JSON.stringify({ ...baseSettings, ...overrides }, null, 2));
  await page.waitForTimeout(1500);
}

async function waitFor(check, timeoutMs, describe) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
