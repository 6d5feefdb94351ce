import type { Logger } from './log.js';
import type { IllustrateDeck } from './runtime.js';

/**
 * The slides package is optional: when it is installed and exports `illustrateDeck`, the server
 * offers the illustrate_deck tool; otherwise the tool is simply absent.
 */
export async function loadIllustrateDeck(log: Logger): Promise<IllustrateDeck | undefined> {
  const specifier = '@matryoshka/slides';
  try {
    const slides = (await import(specifier)) as { illustrateDeck?: unknown };
    if (typeof slides.illustrateDeck === 'function') return slides.illustrateDeck as IllustrateDeck;
    log.debug(`${specifier} has no illustrateDeck export: illustrate_deck is off`);
  } catch (error) {
    log.debug(`${specifier} not available (${(error as Error).message}): illustrate_deck is off`);
  }
  return undefined;
}
