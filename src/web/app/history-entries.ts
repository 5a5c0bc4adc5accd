/**
 * Which history entries this page has already shown, by the key the router gives each one. Back and Forward
 * return to a known key; a link, a typed address or a reload brings a key not seen yet. A route that fills in a
 * default must do so only for a new entry, so returning to an entry shows it exactly as it was.
 */
const seen = new Set<string>();
const MAX_SEEN = 2_000;

/** True the first time a key is asked about (or when there is no key); remembers it either way. */
export function isNewHistoryEntry(key: string | undefined): boolean {
  if (key === undefined) return true;
  if (seen.has(key)) return false;
  if (seen.size >= MAX_SEEN) seen.clear();
  seen.add(key);
  return true;
}
