import { MatryoshkaError } from '@matryoshka/core';
import { describe, expect, it } from 'vitest';
import { type OptionsSpec, parseArgv } from './args.js';

const options = {
  output: { type: 'string', short: 'o', description: 'out' },
  steps: { type: 'number', description: 'steps' },
  seed: { type: 'number', short: 's', description: 'seed' },
  negative: { type: 'string', description: 'negative' },
  sampler: { type: 'string', choices: ['ddim', 'ddpm', 'dpmpp-2m'], description: 'sampler' },
  json: { type: 'boolean', description: 'json' },
  quiet: { type: 'boolean', short: 'q', description: 'quiet' },
} as const satisfies OptionsSpec;

const parse = (...argv: string[]) => parseArgv(argv, options, 'see --help');

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(MatryoshkaError.isInstance(error)).toBe(true);
    const e = error as MatryoshkaError;
    expect(e.code).toBe('INVALID_REQUEST');
    return `${e.message} | ${(e.details as { hint?: string } | undefined)?.hint ?? ''}`;
  }
  throw new Error('expected a usage error');
}

describe('parseArgv', () => {
  it('reads long, inline, short and attached forms', () => {
    const { values, positionals } = parse('a red apple', '--steps', '12', '--seed=7', '-oout.png', '-q');
    expect(values).toEqual({ steps: 12, seed: 7, output: 'out.png', quiet: true });
    expect(positionals).toEqual(['a red apple']);
  });

  it('passes negative numbers through so the engine can name the field', () => {
    expect(parse('--steps', '-3').values.steps).toBe(-3);
    expect(parse('-s', '-1').values.seed).toBe(-1);
  });

  it('takes a dash-led value that is not an option, but not a following option', () => {
    expect(parse('--negative', '-blurry').values.negative).toBe('-blurry');
    expect(usageMessage(() => parse('--negative', '--steps', '3'))).toContain('--negative needs a value');
    expect(usageMessage(() => parse('--steps'))).toContain('--steps needs a value');
  });

  it('rejects non-numbers for number options, naming the flag', () => {
    expect(usageMessage(() => parse('--steps', 'many'))).toContain('--steps: expected a number (got "many")');
    expect(usageMessage(() => parse('--steps='))).toContain('--steps: expected a number');
  });

  it('checks choices and suggests the closest', () => {
    expect(usageMessage(() => parse('--sampler', 'ddmi'))).toMatch(
      /must be one of ddim, ddpm, dpmpp-2m.*did you mean ddim/,
    );
  });

  it('rejects unknown options with a did-you-mean hint', () => {
    expect(usageMessage(() => parse('--stpes', '3'))).toBe(
      'unknown option --stpes | did you mean --steps? (see --help)',
    );
    expect(usageMessage(() => parse('-x'))).toBe('unknown option -x | see --help');
  });

  it('explains "--" for a prompt that starts with a dash', () => {
    expect(usageMessage(() => parse('-5 degrees'))).toContain('needs "--" before it');
    expect(parse('--json', '--', '-5 degrees', '--steps').positionals).toEqual(['-5 degrees', '--steps']);
  });

  it('handles booleans: grouped shorts, --no-, and no values', () => {
    expect(parse('-qo', 'x.png').values).toEqual({ quiet: true, output: 'x.png' });
    expect(parse('--json', '--no-json').values.json).toBe(false);
    expect(usageMessage(() => parse('--json=yes'))).toContain('--json takes no value');
  });

  it('keeps the last occurrence and treats "-" as a positional', () => {
    expect(parse('--steps', '1', '--steps', '2').values.steps).toBe(2);
    expect(parse('-o', '-').values.output).toBe('-');
    expect(parse('-').positionals).toEqual(['-']);
  });
});
