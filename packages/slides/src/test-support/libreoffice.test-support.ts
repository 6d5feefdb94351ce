import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const hasLibreOffice = (): boolean =>
  spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0 &&
  spawnSync('pdftoppm', ['-v'], { stdio: 'ignore' }).status === 0;

/** Converts a file with headless LibreOffice (own profile, so parallel runs never share one). */
export function convertWithLibreOffice(file: string, to: string, outDir: string): string {
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
      file,
    ],
    { stdio: 'ignore', timeout: 120_000 },
  );
  const stem = basename(file).replace(/\.[^.]+$/, '');
  const extension = to.split(':')[0] as string;
  return join(outDir, `${stem}.${extension}`);
}

/** pptx → pdf → one PNG per slide (pdftoppm), in slide order. */
export function renderSlides(pptx: string, dpi = 40): string[] {
  const outDir = mkdtempSync(join(tmpdir(), 'slides-render-'));
  const pdf = convertWithLibreOffice(pptx, 'pdf', outDir);
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), pdf, join(outDir, 'page')], { timeout: 120_000 });
  return readdirSync(outDir)
    .filter((f) => f.startsWith('page') && f.endsWith('.png'))
    .sort((a, b) => Number(/(\d+)\.png$/.exec(a)?.[1]) - Number(/(\d+)\.png$/.exec(b)?.[1]))
    .map((f) => join(outDir, f));
}
