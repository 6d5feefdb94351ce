import { unlinkSync } from 'node:fs';

// Temp files still on disk, so a second Ctrl-C (which exits at once) can remove them synchronously.
// Kept apart from the writer so the process entry can import it without loading the engine.
export const pendingTempFiles = new Set<string>();

export function removePendingTempFilesSync(): void {
  for (const file of pendingTempFiles) {
    try {
      unlinkSync(file);
    } catch {
      // Already renamed or removed.
    }
  }
  pendingTempFiles.clear();
}
