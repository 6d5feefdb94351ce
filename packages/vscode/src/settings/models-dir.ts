import * as os from 'node:os';
import * as path from 'node:path';

export interface ModelsDirInputs {
  /** The `matryoshka.modelsDir` setting, as written. */
  setting: string;
  workspaceFolder?: string;
  /** `models/` inside the installed extension, when it ships any bundle. */
  bundledModelsDir?: string;
  env: Record<string, string | undefined>;
}

/**
 * The models folder the engine should use, or undefined to let the engine pick its own default.
 * Order: the setting, then $MATRYOSHKA_MODELS (honoured by the engine itself), then the bundle
 * shipped inside the extension.
 */
export function resolveModelsDir(inputs: ModelsDirInputs): string | undefined {
  const raw = inputs.setting.trim();
  if (raw) {
    const expanded = raw
      .replace(/\$\{workspaceFolder\}/g, inputs.workspaceFolder ?? '')
      .replace(/\$\{userHome\}/g, os.homedir())
      .replace(/^~(?=$|[\\/])/, os.homedir());
    if (path.isAbsolute(expanded)) return path.normalize(expanded);
    return path.resolve(inputs.workspaceFolder ?? os.homedir(), expanded);
  }
  if (inputs.env.MATRYOSHKA_MODELS) return undefined;
  return inputs.bundledModelsDir;
}
