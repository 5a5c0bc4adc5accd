import { Fragment, useState, type ReactNode } from 'react';
import { formatInteger } from '../lib/format.ts';
import { Mark } from './highlight.tsx';

/**
 * Bidirectional control characters: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the
 * invisible direction marks (U+200E, U+200F, U+061C). In a name or a prefix they have no business but to make
 * `exports/‮fdp.exe` read as `exe.pdf`, so they are shown as code points, the way code hosts flag them,
 * never applied.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const HAS_BIDI_CONTROL = new RegExp(BIDI_CONTROLS.source);

const BIDI_NAMES: Readonly<Record<string, string>> = {
  '\u061c': 'ARABIC LETTER MARK',
  '\u200e': 'LEFT-TO-RIGHT MARK',
  '\u200f': 'RIGHT-TO-LEFT MARK',
  '\u202a': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202b': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202c': 'POP DIRECTIONAL FORMATTING',
  '\u202d': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202e': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
};

/** `U+202E`, for a bidirectional control character. */
export function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Plain text with every bidirectional control written as `<U+202E>` (for titles, where no markup is possible). */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (ch) => `<${codePoint(ch)}>`);
}

/** The text as runs: ordinary text (search-marked) and each bidi control as a visible, labelled code point. */
function flagged(text: string): ReactNode {
  if (!HAS_BIDI_CONTROL.test(text)) return <Mark text={text} />;
  const parts: ReactNode[] = [];
  let from = 0;
  for (const m of text.matchAll(BIDI_CONTROLS)) {
    if (m.index > from) parts.push(<Mark key={`t${from}`} text={text.slice(from, m.index)} />);
    const point = codePoint(m[0]);
    parts.push(
      <span
        key={`c${m.index}`}
        data-bidi-control={point}
        title={`${BIDI_NAMES[m[0]] ?? 'Bidirectional control'} (${point}): shown, not applied`}
        className="mx-px rounded-[2px] bg-red-50 px-0.5 font-mono text-[0.85em] text-red-800 ring-1 ring-red-300 ring-inset"
      >
        {point}
      </span>,
    );
    from = m.index + m[0].length;
  }
  if (from < text.length) parts.push(<Mark key={`t${from}`} text={text.slice(from)} />);
  return <Fragment>{parts}</Fragment>;
}

/**
 * Text that came from Atlas (names, custom data, messages, prefixes). Bidirectional control characters are
 * shown as their code points instead of reordering what an operator reads; `<bdi>` still isolates the value
 * (right-to-left letters in a name cannot pull the text after it along). `overflow-wrap: anywhere` lets a
 * 10,000-character word wrap instead of widening the page. Every Atlas string on screen goes through here, and
 * so is marked where it matches the current search.
 */
export function AtlasText({ text, className = '' }: { text: string | undefined; className?: string }) {
  if (text === undefined) return null;
  return <bdi className={`wrap-anywhere ${className}`}>{flagged(text)}</bdi>;
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

/** A hover text that stays a reasonable size, whatever Atlas sent, its bidi controls shown as code points. */
export function titleText(text: string, max = 1000): string {
  return showBidiControls(text.length > max ? `${text.slice(0, max)}…` : text);
}
