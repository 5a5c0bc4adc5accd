/** One section of `npm run bench`: a titled table plus notes. */
export interface BenchSection {
  name: string;
  rows: Array<Record<string, string | number>>;
  notes?: string[];
}
