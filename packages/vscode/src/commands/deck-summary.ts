import type { DeckReport } from '@matryoshka/slides';

/** One sentence on what the slide filler did, for a notification. */
export function deckSummary(
  report: Pick<DeckReport, 'illustrated' | 'skipped' | 'output' | 'slides'>,
): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (report.illustrated === 0) {
    const reasons = [...new Set(report.slides.map((s) => s.reason).filter(Boolean))].join(', ');
    return `no slide needed a picture (${plural(report.skipped, 'slide')} skipped${reasons ? `: ${reasons}` : ''}).`;
  }
  const where = report.output ? ` → ${report.output.split(/[\\/]/).pop()}` : '';
  const skipped = report.skipped > 0 ? `, ${plural(report.skipped, 'slide')} skipped` : '';
  return `illustrated ${plural(report.illustrated, 'slide')}${skipped}${where}.`;
}
