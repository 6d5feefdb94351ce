import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The manifest and the code must agree: a contributed command nobody registers fails when clicked.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const extension = readFileSync(path.join(root, 'src/extension.ts'), 'utf8');
const registered = new Set(
  [...extension.matchAll(/register\('([A-Za-z]+)'/g)].map((m) => `matryoshka.${m[1]}`),
);
const contributed = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));

describe('package.json contributions', () => {
  it('registers every contributed command, and contributes every registered one', () => {
    expect([...registered].sort()).toEqual([...contributed].sort());
  });

  it('menus and key bindings name contributed commands only', () => {
    const used = [
      ...Object.values(manifest.contributes.menus as Record<string, { command: string }[]>).flat(),
      ...manifest.contributes.keybindings,
    ].map((m: { command: string }) => m.command);
    for (const command of used) expect(contributed, command).toContain(command);
  });

  it('the gallery view is a webview view in its own container, whose icon ships', () => {
    const [container] = manifest.contributes.viewsContainers.activitybar;
    const [view] = manifest.contributes.views[container.id];
    expect(view).toMatchObject({ type: 'webview', id: 'matryoshka.gallery' });
    expect(extension).toContain('registerWebviewViewProvider(GALLERY_VIEW_ID');
    expect(existsSync(path.join(root, container.icon))).toBe(true);
  });

  it('every walkthrough step’s page exists', () => {
    for (const walkthrough of manifest.contributes.walkthroughs) {
      for (const step of walkthrough.steps) {
        expect(existsSync(path.join(root, step.media.markdown)), step.id).toBe(true);
      }
    }
  });
});
