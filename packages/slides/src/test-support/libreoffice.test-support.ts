import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const hasLibreOffice = (): boolean =>
  spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0 &&
  spawnSync('pdftoppm', ['-v'], { stdio: 'ignore' }).status === 0;

/**
 * Converts files with one headless LibreOffice start (own profile, so parallel runs never share
 * one). Files must have distinct names: the results land side by side in `outDir`.
 */
export function convertWithLibreOffice(files: string[], to: string, outDir: string): string[] {
  const profile = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  execFileSync(
    'nice',
    [
      '-n',
      '10',
      'soffice',
      `-env:UserInstallation=file://${profile}`,
      '--headless',
      '--convert-to',
      to,
      '--outdir',
      outDir,
      ...files,
    ],
    { stdio: 'ignore', timeout: 240_000 },
  );
  const extension = to.split(':')[0] as string;
  return files.map((file) => join(outDir, `${basename(file).replace(/\.[^.]+$/, '')}.${extension}`));
}

/** Each pptx → pdf → one PNG per slide (pdftoppm), in slide order; one list per deck. */
export function renderSlides(decks: string[], dpi = 40): string[][] {
  const outDir = mkdtempSync(join(tmpdir(), 'slides-render-'));
  return convertWithLibreOffice(decks, 'pdf', outDir).map((pdf, k) => {
    const prefix = `deck${k}-page`;
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), pdf, join(outDir, prefix)], { timeout: 120_000 });
    return readdirSync(outDir)
      .filter((f) => f.startsWith(prefix) && f.endsWith('.png'))
      .sort((a, b) => Number(/(\d+)\.png$/.exec(a)?.[1]) - Number(/(\d+)\.png$/.exec(b)?.[1]))
      .map((f) => join(outDir, f));
  });
}
