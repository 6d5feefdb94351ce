// End-to-end with the models the extension ships (no models setting): a fresh install draws a picture
// with the default image model and a clip with the default clip model, and the gallery shows both.
// Each step leaves a screenshot in test-output/vscode-e2e/shipped-models/ for a person to look at.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startSession, waitFor } from './session.mjs';
import { answerInputBox, galleryFrame, openFile, runCommand } from './workbench.mjs';

let session;
let page;
let workspace;

before(async () => {
  session = await startSession('shipped-models', { files: { 'notes.md': '# Shipped models\n\n' } });
  ({ page, workspace } = session);
});

after(async () => {
  await session?.stop();
});

/** The manifests of the bundles packaged into the installed extension. */
function shippedManifests() {
  const dir = path.join(session.extensionDir, 'models');
  return readdirSync(dir)
    .filter((id) => existsSync(path.join(dir, id, 'manifest.json')))
    .map((id) => JSON.parse(readFileSync(path.join(dir, id, 'manifest.json'), 'utf8')));
}

function newFiles(dir, pattern, before) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f) && !before.has(f)) : [];
}

test('Generate Image… draws with the shipped default model at its native size', {
  timeout: 300_000,
}, async () => {
  const images = path.join(workspace, 'images');
  try {
    const image = shippedManifests().find((m) => m.task !== 'clip');
    assert.ok(image, 'the extension ships no image model');
    await openFile(page, 'notes.md');
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await runCommand(page, 'Matryoshka: Generate Image…');
    await answerInputBox(page, 'a red heart');
    const [file] = await waitFor(
      () => {
        const made = newFiles(images, /\.png$/, new Set());
        return made.length ? made : undefined;
      },
      240_000,
      () => `no picture in ${images}`,
    );
    const png = readFileSync(path.join(images, file));
    const size = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.deepEqual(size, [image.levels[0].resolution, image.levels[0].resolution], `${file} is not native`);
    await page
      .locator('.notification-toast', { hasText: 'Matryoshka: generated' })
      .first()
      .waitFor({ timeout: 30_000 });
    await session.screenshot('1-generated.png');
    await runCommand(page, 'Matryoshka: Insert Image at Cursor');
    await runCommand(page, 'Markdown: Open Preview to the Side');
    await page.waitForTimeout(3000);
    await session.screenshot('2-inserted-with-preview.png');
  } catch (error) {
    await session.screenshot('image-failure.png').catch(() => {});
    throw error;
  }
});

test('Generate Clip… draws an animation with the shipped clip model', { timeout: 400_000 }, async () => {
  const images = path.join(workspace, 'images');
  try {
    const clip = shippedManifests().find((m) => m.task === 'clip');
    assert.ok(clip, 'the extension ships no clip model');
    const before = new Set(existsSync(images) ? readdirSync(images) : []);
    await runCommand(page, 'Matryoshka: Generate Clip…');
    await answerInputBox(page, 'a spinning star');
    const [file] = await waitFor(
      () => {
        const made = newFiles(images, /\.webp$/, before);
        return made.length ? made : undefined;
      },
      360_000,
      () => `no clip in ${images}: ${existsSync(images) ? readdirSync(images).join(', ') : 'no folder'}`,
    );
    const webp = readFileSync(path.join(images, file));
    assert.equal(webp.subarray(8, 12).toString('latin1'), 'WEBP');
    // An animated WebP: its ANMF chunks are the frames, as many as the model draws.
    const frames = webp.toString('latin1').split('ANMF').length - 1;
    assert.equal(frames, clip.clip.frames, `${file} has ${frames} frames`);
    await page
      .locator('.notification-toast', { hasText: 'Matryoshka: generated' })
      .first()
      .waitFor({ timeout: 30_000 });
    await session.screenshot('3-clip.png');
  } catch (error) {
    await session.screenshot('clip-failure.png').catch(() => {});
    throw error;
  }
});

test('the gallery shows the picture and the clip', { timeout: 120_000 }, async () => {
  try {
    await runCommand(page, 'Matryoshka: Show Gallery');
    const gallery = galleryFrame(page);
    for (const prompt of ['a red heart', 'a spinning star']) {
      await gallery.locator('figure', { hasText: prompt }).first().waitFor({ timeout: 30_000 });
    }
    await session.screenshot('4-gallery.png');
  } catch (error) {
    await session.screenshot('gallery-failure.png').catch(() => {});
    throw error;
  }
});
