import { createContext, useContext, type ReactNode } from 'react';
import { shortId } from '../lib/format.ts';

/** The text being searched for; cells mark where it occurs. Empty when nothing is searched. */
const HighlightContext = createContext('');

export function HighlightProvider({ text, children }: { text: string; children: ReactNode }) {
  return <HighlightContext.Provider value={text.trim().toLowerCase()}>{children}</HighlightContext.Provider>;
}

const markClass = 'rounded-[2px] bg-amber-200 text-inherit';

/** `text` with every case-insensitive occurrence of the searched text in a <mark>. */
export function Mark({ text }: { text: string }) {
  const needle = useContext(HighlightContext);
  if (!needle) return <>{text}</>;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(
      <mark key={at} className={markClass}>
        {text.slice(at, at + needle.length)}
      </mark>,
    );
    from = at + needle.length;
  }
  if (parts.length === 0) return <>{text}</>;
  if (from < text.length) parts.push(text.slice(from));
  return <>{parts}</>;
}

/**
 * A shortened id (`…d7ea425b`). When the search matches part of the id that the short form hides (a full id
 * was pasted), the whole short form is marked, so the row still shows why it matched.
 */
export function MarkId({ id }: { id: string | undefined }) {
  const needle = useContext(HighlightContext);
  const short = shortId(id);
  if (!needle || !id) return <>{short}</>;
  if (short.toLowerCase().includes(needle)) return <Mark text={short} />;
  return id.toLowerCase().includes(needle) ? <mark className={markClass}>{short}</mark> : <>{short}</>;
}
