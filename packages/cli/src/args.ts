import { closestMatch } from './suggest.js';
import { usageError } from './usage-error.js';

export interface OptionSpec {
  type: 'string' | 'number' | 'boolean';
  short?: string;
  description: string;
  /** Placeholder shown in help, e.g. `--steps <n>`. */
  valueName?: string;
  /** Shown in help only; real defaults usually come from the model's manifest. */
  defaultText?: string;
  /** Allowed values; checked here so the user learns them before a model is loaded. */
  choices?: readonly string[];
}

export type OptionsSpec = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'number'
    ? number
    : string;

export type OptionValues<O extends OptionsSpec> = { -readonly [K in keyof O]?: ValueOf<O[K]> };

export interface ParsedArgs<O extends OptionsSpec> {
  values: OptionValues<O>;
  positionals: string[];
}

/**
 * A small strict parser. node:util parseArgs refuses `--steps -3` as ambiguous, but that is exactly
 * the input whose request error ("steps: must be …") users should see, so values are taken as given.
 *
 * Accepted: `--name value`, `--name=value`, `-n value`, `-nvalue`, grouped short booleans (`-qj`),
 * `--no-name` for booleans, and `--` to end options. The last occurrence of an option wins.
 */
export function parseArgv<O extends OptionsSpec>(
  argv: readonly string[],
  options: O,
  helpHint: string,
): ParsedArgs<O> {
  const values: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) if (spec.short) byShort.set(spec.short, name);

  const isKnownOption = (arg: string): boolean => {
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0] ?? '';
      return name in options || (name.startsWith('no-') && options[name.slice(3)]?.type === 'boolean');
    }
    return arg.length >= 2 && arg.startsWith('-') && byShort.has(arg[1] ?? '');
  };

  const assign = (name: string, raw: string | boolean, shown: string): void => {
    const spec = options[name] as OptionSpec;
    if (spec.type === 'boolean') {
      values[name] = raw === true;
      return;
    }
    const text = String(raw);
    if (spec.type === 'number') {
      const number = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(number)) throw usageError(`${shown}: expected a number (got "${text}")`, helpHint);
      values[name] = number;
      return;
    }
    if (spec.choices && !spec.choices.includes(text)) {
      const guess = closestMatch(text, spec.choices);
      throw usageError(
        `${shown}: must be one of ${spec.choices.join(', ')} (got "${text}")${guess ? ` — did you mean ${guess}?` : ''}`,
        helpHint,
      );
    }
    values[name] = text;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }

    // Takes the next argument as the value unless it is clearly another option: `--negative --steps 3`
    // means a forgotten value, while `--seed -1` and `--negative -blurry` are values.
    const takeValue = (shown: string, inline: string | undefined): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && isKnownOption(next))) {
        throw usageError(`${shown} needs a value`, helpHint);
      }
      i++;
      return next;
    };

    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq === -1 ? undefined : arg.slice(eq + 1);
      const spec = options[name];
      if (spec === undefined) {
        const negated = name.startsWith('no-') ? options[name.slice(3)] : undefined;
        if (negated?.type === 'boolean' && inline === undefined) {
          values[name.slice(3)] = false;
          continue;
        }
        throw unknownOption(`--${name}`, Object.keys(options), helpHint);
      }
      if (spec.type === 'boolean') {
        if (inline !== undefined) throw usageError(`--${name} takes no value (got "${inline}")`, helpHint);
        assign(name, true, `--${name}`);
      } else {
        assign(name, takeValue(`--${name}`, inline), `--${name}`);
      }
      continue;
    }

    // Short options: "-o file", "-ofile", "-qj".
    for (let k = 1; k < arg.length; k++) {
      const letter = arg[k] as string;
      const name = byShort.get(letter);
      if (name === undefined) {
        throw unknownOption(`-${letter}`, Object.keys(options), helpHint, arg);
      }
      const spec = options[name] as OptionSpec;
      if (spec.type === 'boolean') {
        assign(name, true, `-${letter}`);
        continue;
      }
      const rest = arg.slice(k + 1);
      assign(name, takeValue(`-${letter}`, rest === '' ? undefined : rest), `-${letter}`);
      break;
    }
  }
  return { values: values as OptionValues<O>, positionals };
}

function unknownOption(shown: string, known: string[], helpHint: string, whole?: string) {
  const guess = shown.startsWith('--') ? closestMatch(shown.slice(2), known) : undefined;
  const what = whole !== undefined && whole !== shown ? `${shown} (in ${whole})` : shown;
  const looksNumeric = whole !== undefined && /^-\d/.test(whole);
  const hint = guess
    ? `did you mean --${guess}? (${helpHint})`
    : looksNumeric
      ? `a value starting with "-" needs "--" before it; ${helpHint}`
      : helpHint;
  return usageError(`unknown option ${what}`, hint);
}
