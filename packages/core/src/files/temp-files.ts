import { unlinkSync } from 'node:fs';

// Temp files still on disk, so a second Ctrl-C (which exits at once) can remove them synchronously.
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
