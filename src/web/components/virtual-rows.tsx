import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Typical row height (two text lines); rows are measured once rendered, so this only seeds the scrollbar. */
const ESTIMATED_ROW_PX = 50;

export interface VirtualRowsProps {
  count: number;
  columnCount: number;
  /** Renders row `index`; the row element must pass `measureRef` to its `<tr>` (rows are measured). */
  renderRow: (index: number, measureRef: (el: HTMLTableRowElement | null) => void) => ReactNode;
}

/**
 * Rows of a long page (Atlas allows 500) rendered as a window around the viewport, with spacer rows above and
 * below so the page scrolls as if every row were there. Mounting 500 rows of badges, bars and links costs
 * hundreds of milliseconds on a small machine; the window costs a few dozen rows.
 */
export function VirtualRows({ count, columnCount, renderRow }: VirtualRowsProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    // Where the rows start on the page (a banner above the table moves them): the window offset of row 0.
    const top = (bodyRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
    if (Math.abs(top - scrollMargin) > 1) setScrollMargin(top);
    // A banner appearing later shifts rows by less than the overscan (8 rows), so re-measuring per page is enough.
  }, [scrollMargin, count]);
  const virtualizer = useWindowVirtualizer({ count, estimateSize: () => ESTIMATED_ROW_PX, overscan: 8, scrollMargin });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const before = first ? first.start - scrollMargin : 0;
  const after = last ? virtualizer.getTotalSize() - (last.end - scrollMargin) : 0;
  return (
    <tbody ref={bodyRef}>
      {before > 0 && <Spacer height={before} columnCount={columnCount} />}
      {items.map((item) => renderRow(item.index, virtualizer.measureElement))}
      {after > 0 && <Spacer height={after} columnCount={columnCount} />}
    </tbody>
  );
}

function Spacer({ height, columnCount }: { height: number; columnCount: number }) {
  return (
    <tr aria-hidden="true">
      <td colSpan={columnCount} className="border-0 p-0" style={{ height }} />
    </tr>
  );
}
