import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface InspectedPicture {
  name: string;
  media: string | null;
  pixels: [number, number] | null;
  box: [number, number, number, number] | null;
  crop: { l: number; t: number; r: number; b: number } | null;
}

export interface InspectedDeck {
  parts: string[];
  untyped: string[];
  brokenRels: Array<{ source: string; target: string }>;
  xmlErrors: string[];
  slides: Array<{
    part: string;
    texts: string[];
    shapeIds: string[];
    pictures: InspectedPicture[];
    /** How many elements of each (namespace-qualified) name the slide holds. */
    elements: Record<string, number>;
  }>;
}

const SCRIPT = fileURLToPath(new URL('./inspect_pptx.py', import.meta.url));

/** Reads a .pptx with Python's zipfile + ElementTree + PIL: a second parser sharing no code with ours. */
export function inspectPptx(file: string): InspectedDeck {
  return JSON.parse(execFileSync('/usr/bin/python3', [SCRIPT, file], { encoding: 'utf8' })) as InspectedDeck;
}
