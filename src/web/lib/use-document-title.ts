import { useEffect } from 'react';
import { setBaseTitle } from './activity-badge.ts';

const PRODUCT = 'Atlas export jobs';

/** Tab titles name the view, so a row of bookmarked tabs stays readable. */
export function useDocumentTitle(...parts: Array<string | undefined>): void {
  const title = [...parts.filter(Boolean), PRODUCT].join(' · ');
  useEffect(() => {
    setBaseTitle(title);
  }, [title]);
}
