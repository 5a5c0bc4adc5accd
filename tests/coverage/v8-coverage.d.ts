/** The one function of @bcoe/v8-coverage (no bundled types) that the coverage report uses. */
declare module '@bcoe/v8-coverage' {
  interface ScriptCov {
    scriptId: string;
    url: string;
    functions: unknown[];
  }
  export function mergeProcessCovs(processCovs: ReadonlyArray<{ result: ScriptCov[] }>): { result: ScriptCov[] };
}
