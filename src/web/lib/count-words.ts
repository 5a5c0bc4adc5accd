import { formatInteger } from './format.ts';

/** "1 job", "0 jobs", "1,250 jobs". `approx` marks an estimate (Atlas's totalCount) with "~", but not for 0 or 1. */
export function countWords(n: number, singular: string, plural = `${singular}s`, approx = false): string {
  const word = n === 1 ? singular : plural;
  return `${approx && n > 1 ? '~' : ''}${formatInteger(n)} ${word}`;
}
