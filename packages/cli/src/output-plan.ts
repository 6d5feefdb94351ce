import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImageFormat } from '@matryoshka/core';
import { promptStem } from '@matryoshka/core/lite';
import { usageError } from './usage-error.js';

const EXTENSIONS: Record<string, ImageFormat> = {
  '.png': 'png',
  '.webp': 'webp',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.avif': 'avif',
};

const PREFERRED_EXTENSION: Record<ImageFormat, string> = {
  png: '.png',
  webp: '.webp',
  jpeg: '.jpg',
  avif: '.avif',
};

export interface OutputPlanInput {
  /** `-o` as typed: a file, a folder, `-` for stdout, or nothing. */
  output: string | undefined;
  /** True when `output` names an existing folder. */
  outputIsDirectory: boolean;
  format: ImageFormat | undefined;
  count: number;
  prompt: string;
  /** The first image's seed; image k uses seed + k (docs/model-bundle.md). */
  seed: number;
  cwd: string;
}

export interface OutputPlan {
  format: ImageFormat;
  /** `-o -`: the single image goes to stdout and no file is written. */
  toStdout: boolean;
  /** Absolute paths, one per image; empty when writing to stdout. */
  paths: string[];
}

export const seedOf = (seed: number, index: number): number => (seed + index) % 2 ** 32;

/**
 * Decides the format and every file name before the model runs, so a bad `-o` costs the user
 * nothing and `--json` can promise the paths it will write.
 */
export function planOutput(input: OutputPlanInput): OutputPlan {
  const { output, count, cwd } = input;
  if (output === '-') {
    if (count !== 1) throw usageError('-o -: stdout can take one image only; use a file name with --count');
    return { format: input.format ?? 'png', toStdout: true, paths: [] };
  }

  const isFolder =
    output !== undefined && (input.outputIsDirectory || output.endsWith('/') || output.endsWith(path.sep));
  if (output === undefined || isFolder) {
    // Named after the prompt and each image's own seed, so a folder of results documents itself.
    const folder = path.resolve(cwd, output ?? '.');
    const format = input.format ?? 'png';
    const stem = promptStem(input.prompt);
    const paths = Array.from({ length: count }, (_, k) =>
      path.join(folder, `${stem}-${seedOf(input.seed, k)}${PREFERRED_EXTENSION[format]}`),
    );
    return { format, toStdout: false, paths };
  }

  const target = path.resolve(cwd, output);
  const extension = path.extname(target);
  const fromExtension = EXTENSIONS[extension.toLowerCase()];
  let format: ImageFormat;
  let base = target;
  let suffix = extension;
  if (fromExtension !== undefined) {
    if (input.format !== undefined && input.format !== fromExtension) {
      throw usageError(
        `--format ${input.format} does not match the file name ${output}`,
        `name the file with ${PREFERRED_EXTENSION[input.format]}, or drop --format to write ${fromExtension}`,
      );
    }
    format = fromExtension;
    base = target.slice(0, -extension.length);
  } else if (input.format !== undefined) {
    format = input.format;
    if (extension === '') suffix = PREFERRED_EXTENSION[format];
    else base = target.slice(0, -extension.length);
  } else if (extension === '') {
    format = 'png';
    suffix = '.png';
  } else {
    throw usageError(
      `-o ${output}: cannot tell the image format from "${extension}"`,
      'use .png, .webp, .jpg or .avif, or say which with --format',
    );
  }

  const paths =
    count === 1 ? [`${base}${suffix}`] : Array.from({ length: count }, (_, k) => `${base}-${k + 1}${suffix}`);
  return { format, toStdout: false, paths };
}

/** Whether `-o` names a folder that exists, so images go inside it rather than replace it. */
export async function isExistingDirectory(output: string | undefined, cwd: string): Promise<boolean> {
  if (output === undefined || output === '-') return false;
  try {
    return (await stat(path.resolve(cwd, output))).isDirectory();
  } catch {
    return false;
  }
}
