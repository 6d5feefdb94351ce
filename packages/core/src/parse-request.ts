import type { z } from 'zod';
import { MatryoshkaError } from './errors.js';
import { ClipRequestSchema, IconsRequestSchema, ImageRequestSchema, type ParsedRequest } from './schema.js';

/**
 * Validates a request and fills request-level defaults. A bad request throws INVALID_REQUEST whose
 * message has one readable line per bad field, so a CLI can print it as is.
 */
export function parseRequest(input: unknown): ParsedRequest {
  try {
    return parseUnsafe(input);
  } catch (error) {
    if (MatryoshkaError.isInstance(error)) throw error;
    // Hostile objects (a getter or Proxy trap that throws) must still end as INVALID_REQUEST.
    throw invalid([`request: could not be read (${safeMessage(error)})`]);
  }
}

function safeMessage(error: unknown): string {
  try {
    return String((error as Error)?.message ?? error).slice(0, 200);
  } catch {
    return 'unreadable value';
  }
}

function parseUnsafe(input: unknown): ParsedRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid([`request: must be an object with at least a "prompt" (got ${describeValue(input)})`]);
  }
  const kind = (input as Record<string, unknown>).kind;
  if (kind !== undefined && kind !== 'image' && kind !== 'clip' && kind !== 'icons') {
    throw invalid([`kind: must be "image", "clip" or "icons" (got ${describeValue(kind)})`]);
  }
  const schema =
    kind === 'clip' ? ClipRequestSchema : kind === 'icons' ? IconsRequestSchema : ImageRequestSchema;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const knownFields = Object.keys(schema.shape);
  throw invalid(parsed.error.issues.flatMap((issue) => issueLines(issue, input, knownFields)));
}

function invalid(lines: string[]): MatryoshkaError {
  const unique = [...new Set(lines)];
  return new MatryoshkaError('INVALID_REQUEST', unique.join('\n'), { details: { issues: unique } });
}

function issueLines(issue: z.core.$ZodIssue, input: object, knownFields: string[]): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const suggestion = closest(key, knownFields);
      return `${key}: unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    });
  }
  const path = issue.path.map(String).join('.') || 'request';
  const value = valueAt(input, issue.path);
  return [`${path}: ${issue.message} (got ${value === undefined ? 'nothing' : describeValue(value)})`];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function describeValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    try {
      text = String(value);
    } catch {
      // A null-prototype object has no toString; BigInt inside defeats JSON.stringify.
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Suggests a known field for a typo such as "step" or "negative_prompt". */
function closest(key: string, candidates: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(norm(key), norm(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
