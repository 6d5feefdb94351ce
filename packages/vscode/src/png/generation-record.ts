/** What produced an image: enough to show it in the gallery and to regenerate it with another seed. */
export interface GenerationRecord {
  prompt: string;
  negativePrompt?: string;
  model?: string;
  seed?: number;
  width?: number;
  height?: number;
  steps?: number;
  guidance?: number;
  sampler?: string;
}

/** The PNG text keyword under which the extension stores a GenerationRecord as JSON. */
export const RECORD_KEYWORD = 'matryoshka';

/**
 * Reads a GenerationRecord from PNG text metadata: the JSON `parameters` and `matryoshka:*` keys that
 * @matryoshka/core writes, the extension's own record, and the plain keys other tools use (`prompt`,
 * Stable Diffusion web UIs' `parameters` text, `Description`/`Title`), so every image shows a prompt.
 */
export function recordFromPngText(text: Record<string, string>): GenerationRecord | undefined {
  const lower = new Map(Object.entries(text).map(([k, v]) => [k.toLowerCase(), v]));
  // JSON records: the extension's own, then @matryoshka/core's `parameters`.
  for (const key of [RECORD_KEYWORD, 'parameters']) {
    const json = lower.get(key);
    const record = json === undefined ? undefined : parseRecordJson(json);
    if (record) return record;
  }
  // One key per setting: @matryoshka/core's `matryoshka:*`, or bare `prompt`/`seed`/`model`.
  for (const prefix of ['matryoshka:', '']) {
    const prompt = lower.get(`${prefix}prompt`);
    if (!prompt) continue;
    const seed = Number(lower.get(`${prefix}seed`));
    const model = lower.get(`${prefix}model`);
    return {
      prompt,
      ...(model ? { model } : {}),
      ...(lower.has(`${prefix}seed`) && Number.isInteger(seed) ? { seed } : {}),
    };
  }
  // Stable Diffusion web UIs: the prompt is the first line of `parameters`.
  const first = lower.get('parameters')?.split('\n')[0]?.trim();
  if (first) return { prompt: first };
  const described = lower.get('description') ?? lower.get('title');
  return described ? { prompt: described } : undefined;
}

function parseRecordJson(json: string): GenerationRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.prompt !== 'string' || v.prompt === '') return undefined;
  const record: GenerationRecord = { prompt: v.prompt };
  if (typeof v.negativePrompt === 'string' && v.negativePrompt !== '')
    record.negativePrompt = v.negativePrompt;
  if (typeof v.model === 'string') record.model = v.model;
  if (typeof v.sampler === 'string') record.sampler = v.sampler;
  for (const key of ['seed', 'width', 'height', 'steps', 'guidance'] as const) {
    const n = v[key];
    if (typeof n === 'number' && Number.isFinite(n)) record[key] = n;
  }
  return record;
}

export function recordToJson(record: GenerationRecord): string {
  return JSON.stringify(record);
}
