import type { OptionSpec, OptionsSpec } from './args.js';
import type { Command } from './command.js';
import type { CommandEntry } from './commands/index.js';

const BIN = 'matryoshka';

function optionLabel(name: string, spec: OptionSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  const value =
    spec.type === 'boolean' ? '' : ` <${spec.valueName ?? (spec.type === 'number' ? 'n' : 'value')}>`;
  return `${short}--${name}${value}`;
}

function optionText(spec: OptionSpec): string {
  const parts = [spec.description];
  if (spec.choices) parts.push(`One of: ${spec.choices.join(', ')}.`);
  if (spec.defaultText) parts.push(`Default: ${spec.defaultText}.`);
  return parts.join(' ');
}

/** Wraps text to the terminal, hanging under the first line's indent. */
function wrap(text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width - indent) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function table(rows: Array<[string, string]>, width: number): string[] {
  const labelWidth = Math.min(30, Math.max(...rows.map(([label]) => label.length)));
  const indent = 2 + labelWidth + 2;
  const out: string[] = [];
  for (const [label, text] of rows) {
    const wrapped = wrap(text, Math.max(width, indent + 30), indent);
    if (label.length > labelWidth) {
      out.push(`  ${label}`);
      for (const line of wrapped) out.push(`${' '.repeat(indent)}${line}`);
    } else {
      out.push(`  ${label.padEnd(labelWidth)}  ${wrapped[0] ?? ''}`);
      for (const line of wrapped.slice(1)) out.push(`${' '.repeat(indent)}${line}`);
    }
  }
  return out;
}

export function commandHelp(command: Command<OptionsSpec>, width = 100): string {
  const usage = [
    BIN,
    command.name,
    ...command.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)),
    '[options]',
  ];
  const lines = [`Usage: ${usage.join(' ')}`, ''];
  for (const paragraph of command.description.split('\n\n')) {
    lines.push(...wrap(paragraph.trim(), width, 0), '');
  }
  if (command.positionals.length > 0) {
    lines.push(
      'Arguments:',
      ...table(
        command.positionals.map((p) => [p.name, p.description]),
        width,
      ),
      '',
    );
  }
  const options = Object.entries(command.options).map(
    ([name, spec]) => [optionLabel(name, spec), optionText(spec)] as [string, string],
  );
  lines.push('Options:', ...table(options, width), '');
  if (command.examples.length > 0) {
    lines.push('Examples:');
    for (const example of command.examples) {
      lines.push(`  ${example.command}`, ...wrap(example.explanation, width, 6).map((l) => `      ${l}`), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function mainHelp(entries: readonly CommandEntry[], version: string, width = 100): string {
  const lines = [
    `${BIN} ${version} — make pictures from text on your own machine with Matryoshka Diffusion models.`,
    '',
    `Usage: ${BIN} <command> [options]`,
    '',
    'Commands:',
    ...table(
      entries.map((entry) => [entry.name, entry.summary]),
      width,
    ),
    '',
    'Options:',
    ...table(
      [
        ['-h, --help', 'Show this help, or a command\'s help with "<command> --help".'],
        ['-v, --version', 'Print the version and exit.'],
      ],
      width,
    ),
    '',
    'Start here:',
    `  ${BIN} generate "a red apple" -o apple.png`,
    `  ${BIN} generate --help`,
    '',
    'Exit codes: 0 success, 1 the engine failed, 2 the command line or request was wrong, 130 interrupted.',
    'Models are read from --models-dir, else $MATRYOSHKA_MODELS, else the nearest models/ folder.',
  ];
  return `${lines.join('\n')}\n`;
}
