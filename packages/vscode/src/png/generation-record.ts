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
 * Reads a GenerationRecord from PNG text metadata. Understands the extension's own JSON record, and
 * the plain keys other writers use (`prompt`, `parameters` as written by Stable Diffusion web UIs,
 * `Description`/`Title`), so images from the CLI and elsewhere show their prompt too.
 */
export function recordFromPngText(text: Record<string, string>): GenerationRecord | undefined {
  const lower = new Map(Object.entries(text).map(([k, v]) => [k.toLowerCase(), v]));
  const json = lower.get(RECORD_KEYWORD);
  if (json !== undefined) {
    const record = parseRecordJson(json);
    if (record) return record;
  }
  const direct = lower.get('prompt');
  if (direct) {
    const seed = Number(lower.get('seed'));
    return {
      prompt: direct,
      ...(lower.get('model') ? { model: lower.get('model') } : {}),
      ...(Number.isInteger(seed) && lower.has('seed') ? { seed } : {}),
    };
  }
  const parameters = lower.get('parameters');
  if (parameters) {
    const first = parameters.split('\n')[0]?.trim();
    if (first) return { prompt: first };
  }
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
  if (typeof v.negativePrompt === 'string' && v.negativePrompt !== '') record.negativePrompt = v.negativePrompt;
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
