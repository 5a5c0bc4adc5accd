import { formatCount } from '../lib/format.ts';

/** A count from Atlas, clamped when absurd (`>999,999,999`), with the exact value Atlas sent on hover. */
export function Count({ value }: { value: number }) {
  const shown = formatCount(value);
  const exact = String(value);
  return shown.clamped ? (
    <span title={exact} className="cursor-help">
      {shown.text}
    </span>
  ) : (
    <>{shown.text}</>
  );
}
