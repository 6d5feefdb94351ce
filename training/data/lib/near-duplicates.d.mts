export const THUMB_RES: number;
export class NearDuplicateFilter {
  constructor(rms?: number);
  find(group: string, concept: string, thumb: Uint8Array): { concept: string; name: string } | null;
  add(group: string, concept: string, name: string, thumb: Uint8Array): void;
}
