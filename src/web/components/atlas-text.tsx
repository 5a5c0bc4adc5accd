import { useState } from 'react';
import { formatInteger } from '../lib/format.ts';
import { Mark } from './highlight.tsx';

/**
 * Text that came from Atlas (names, custom data, messages, prefixes). `<bdi>` isolates it for bidirectional text,
 * so a right-to-left override inside one value cannot reorder what is drawn after it, and `overflow-wrap:
 * anywhere` lets a 10,000-character word wrap instead of widening the page. Every Atlas string on screen goes
 * through here, and so is marked where it matches the current search.
 */
export function AtlasText({ text, className = '' }: { text: string | undefined; className?: string }) {
  if (text === undefined) return null;
  return (
    <bdi className={`wrap-anywhere ${className}`}>
      <Mark text={text} />
    </bdi>
  );
}

/** Up to this many characters show at once; longer text gets an expander. */
export const CLAMP_CHARS = 400;

/** Atlas text that may be very long (a failure message, a bucket name): the start, and a button for the rest. */
export function LongAtlasText({
  text,
  limit = CLAMP_CHARS,
  className = '',
}: {
  text: string;
  limit?: number;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  if (text.length <= limit) return <AtlasText text={text} className={className} />;
  return (
    <span className={className}>
      <AtlasText text={open ? text : `${text.slice(0, limit)}…`} />{' '}
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="rounded text-xs whitespace-nowrap text-blue-700 underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      >
        {open ? 'Show less' : `Show all ${formatInteger(text.length)} characters`}
      </button>
    </span>
  );
}

/** A hover text that stays a reasonable size, whatever Atlas sent. */
export function titleText(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
