export function isHeldOut(concept: string, seed: string, fraction: number): boolean;
