/** The one function of @bcoe/v8-coverage (no bundled types) that the coverage report uses. */
declare module '@bcoe/v8-coverage' {
  interface RangeCov {
    startOffset: number;
    endOffset: number;
    count: number;
  }
  interface ScriptCov {
    scriptId: string;
    url: string;
    functions: Array<{ ranges: RangeCov[] }>;
  }
  export function mergeProcessCovs(processCovs: ReadonlyArray<{ result: ScriptCov[] }>): { result: ScriptCov[] };
}
