export function withArticle(phrase: string): string;
export function labelWords(label: string): string;
export function nameWords(name: string): string;
export function usefulTags(tags: string[], label: string, max?: number): string[];
export function makeCaptions(c: {
  label: string;
  tags?: string[];
  unicodeName?: string;
  phrase: string;
  noun: string;
}): string[];
