// End-to-end in a real VS Code: install the packaged .vsix into code-server, open a Markdown file,
// run "Generate Image…" and "Insert Image at Cursor" from the command palette, and check the image
// on disk and the link in the document. Run with `npm run test:e2e -w packages/vscode`.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, startSession, waitFor } from './session.mjs';
import { answerInputBox, answerQuickPick, galleryFrame, openFile, runCommand } from './workbench.mjs';

const PROMPT = 'a red apple';

let session;
let page;
let workspace;

before(async () => {
  // A models folder holding only the tiny random-weight bundle keeps the test fast, and what it
  // expects (e.g. no clip model) does not change when fixtures are added to the repository. It must
  // be named, since the engine never picks a fixture by itself.
  const modelsDir = path.join(tmpdir(), `matryoshka-e2e-models-${process.pid}`);
  cpSync(path.join(repoRoot, 'test/fixtures/tiny-bundle'), path.join(modelsDir, 'tiny-bundle'), {
    recursive: true,
  });
  session = await startSession('tiny-bundle', {
    files: { 'notes.md': '# Notes\n\nAn apple:\n\n' },
    settings: { 'matryoshka.modelsDir': modelsDir, 'matryoshka.model': 'tiny-bundle', 'matryoshka.steps': 4 },
  });
  ({ page, workspace } = session);
});

after(async () => {
  await session?.stop();
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
    await session.screenshot('generated.png');

    await runCommand(page, 'Matryoshka: Insert Image at Cursor');
    await page.keyboard.press('Control+S');
    const expected = `![${PROMPT}](images/${image})`;
    await waitFor(
      () => readFileSync(path.join(workspace, 'notes.md'), 'utf8').includes(expected),
      30_000,
      () =>
        `notes.md does not contain ${expected}:\n${readFileSync(path.join(workspace, 'notes.md'), 'utf8')}`,
    );
    await session.screenshot('inserted.png');
    console.log(
      `e2e: generate + insert took ${((Date.now() - started) / 1000).toFixed(1)} s in the workbench`,
    );
  } catch (error) {
    await session.screenshot('failure.png').catch(() => {});
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
    const gallery = galleryFrame(page);
    const card = gallery.locator('figure', { hasText: PROMPT }).first();
    await card.waitFor({ timeout: 30_000 });
    for (const action of ['Insert', 'Copy Prompt', 'Regenerate', 'Variations', 'Delete']) {
      assert.equal(await card.getByRole('button', { name: action, exact: true }).count(), 1, action);
    }
    await session.screenshot('gallery.png');
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
    await session.screenshot('gallery-failure.png').catch(() => {});
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

test('an image link offers the picture actions in a hover and in the light bulb', {
  timeout: 90_000,
}, async () => {
  const actions = [
    'Regenerate with a New Seed',
    'Variations of This Image',
    'Show in Gallery',
    'Copy Prompt',
  ];
  try {
    await openFile(page, 'notes.md');
    // The alt text of the last link (a generated picture, so it carries its record).
    await page.locator('.view-line span', { hasText: 'apple' }).last().hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Matryoshka' }).first();
    await hover.waitFor({ timeout: 20_000 });
    // The hover's text keeps its spaces as no-break spaces.
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees
    const shown = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(shown, /“a red apple” \(seed \d+, tiny-bundle\)/);
    for (const action of actions)
      assert.equal(await hover.locator('a', { hasText: action }).count(), 1, action);
    await session.screenshot('hover.png');
    await hover.locator('a', { hasText: 'Copy Prompt' }).click();
    await page.locator('.statusbar-item', { hasText: 'copied “a red apple”' }).waitFor({ timeout: 10_000 });

    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+End'); // the cursor on the last link
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget', { hasText: 'Matryoshka:' }).first();
    await menu.waitFor({ timeout: 20_000 });
    for (const action of actions) {
      assert.equal(await menu.getByText(`Matryoshka: ${action}`, { exact: true }).count(), 1, action);
    }
    await session.screenshot('light-bulb.png');
    await page.keyboard.press('Escape');
  } catch (error) {
    await session.screenshot('link-actions-failure.png').catch(() => {});
    throw error;
  }
});

test('a right-click on a picture in the explorer offers the picture actions', {
  timeout: 90_000,
}, async () => {
  try {
    await runCommand(page, 'View: Show Explorer');
    const rows = page.locator('.explorer-folders-view .monaco-list-row');
    const folder = rows.filter({ hasText: /^images$/ }).first();
    await folder.waitFor({ timeout: 20_000 });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const picture = rows.filter({ hasText: /^a-red-apple-\d+\.png$/ }).first();
    await picture.waitFor({ timeout: 20_000 });
    await picture.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu').first();
    await menu.waitFor({ timeout: 10_000 });
    for (const action of [
      'Insert Image at Cursor',
      'Regenerate with a New Seed',
      'Variations of This Image',
      'Show in Gallery',
      'Copy Prompt',
    ]) {
      assert.equal(await menu.locator('.action-label', { hasText: action }).count(), 1, action);
    }
    await session.screenshot('explorer-menu.png');
    // The hover's "copied" message first goes, so that the one below is this click's.
    await page
      .locator('.statusbar-item', { hasText: 'copied' })
      .waitFor({ state: 'hidden', timeout: 15_000 });
    await menu.locator('.action-label', { hasText: 'Copy Prompt' }).click();
    await page.locator('.statusbar-item', { hasText: 'copied “a red apple”' }).waitFor({ timeout: 10_000 });
  } catch (error) {
    await session.screenshot('explorer-menu-failure.png').catch(() => {});
    throw error;
  }
});

test('Generate Clip… says plainly that no clip model is installed', { timeout: 60_000 }, async () => {
  await runCommand(page, 'Matryoshka: Generate Clip…');
  await page
    .locator('.notification-toast', { hasText: 'no clip model installed' })
    .first()
    .waitFor({ timeout: 30_000 });
});

test('an engine error is shown as its message, not a stack trace', { timeout: 90_000 }, async () => {
  await session.applySettings({ 'matryoshka.model': 'no-such-model' });
  try {
    await runCommand(page, 'Matryoshka: Generate Image…');
    await answerInputBox(page, 'a missing model');
    const toast = page.locator('.notification-toast', { hasText: 'no-such-model' }).first();
    await toast.waitFor({ timeout: 30_000 });
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees, hidden parts excluded
    const text = await toast.innerText();
    assert.doesNotMatch(text, /\bat .*:\d+:\d+/);
    assert.doesNotMatch(text, /Error:/);
    await session.screenshot('error.png');
  } finally {
    await session.applySettings({});
  }
});

test('Cancel on the progress notification stops the generation', { timeout: 120_000 }, async () => {
  await session.applySettings({ 'matryoshka.steps': 1000 });
  try {
    await runCommand(page, 'Matryoshka: Generate Image…');
    await answerInputBox(page, 'a slow pear');
    const toast = page.locator('.notification-toast', { hasText: /step \d+ of 1000/ }).first();
    await toast.waitFor({ timeout: 60_000 });
    await session.screenshot('progress.png');
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
    await session.applySettings({});
  }
});
