// Drives the VS Code workbench in a browser the way a user does: keyboard, palette, input boxes.
import { chromium } from 'playwright-core';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function openWorkbench(url, folder) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  // Let the workbench settle (extensions, welcome views) before typing.
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  await page.keyboard.press('Escape');
  return { browser, page };
}

/** Ctrl+Shift+P, the command's title, Enter. Retries while contributed commands are still registering. */
export async function runCommand(page, title, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      await page.keyboard.press('Enter');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`command "${title}" never appeared in the palette`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
}

/** Ctrl+P, a file name, Enter; resolves once its editor has focus. */
export async function openFile(page, name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: name })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page
    .locator(`.tab.active[aria-label*="${name}"], .tab.active:has-text("${name}")`)
    .first()
    .waitFor({ timeout: 15_000 });
  await page
    .locator('.editor-instance .monaco-editor textarea, .editor-instance .monaco-editor .native-edit-context')
    .first()
    .focus();
}

/** Types into the quick input that a command opened (e.g. Generate Image's prompt box). */
export async function answerInputBox(page, text) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** Picks the item whose label contains `label` in the quick pick a command opened. */
export async function answerQuickPick(page, label) {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}

/** The gallery view's content. VS Code draws webviews in an overlay at the workbench's root, placed
 * over their view; the gallery's is the one the extension owns (a Markdown preview has another). */
export function galleryFrame(page) {
  return page
    .frameLocator('iframe.webview.ready[src*="extensionId=matryoshka."]')
    .frameLocator('#active-frame');
}
