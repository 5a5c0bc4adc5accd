/**
 * Where a browser's main thread spent a stretch of time, from a Chromium performance trace (the same trace
 * DevTools' Performance panel records): self time per kind of work (script, style, layout, paint, GC), how many
 * layout objects and elements each layout and style pass touched, and how many layouts script forced.
 */
import type { Browser, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: {
    name?: string;
    elementCount?: number;
    beginData?: { dirtyObjects?: number; totalObjects?: number; partialLayout?: boolean };
  };
}

export interface TraceSummary {
  /** Self time in ms per kind of work on the renderer's main thread. */
  selfMs: Record<'script' | 'style' | 'layout' | 'paint' | 'gc' | 'other', number>;
  layouts: number;
  /** Layouts that ran inside script (a read of a size or position after a write): forced, synchronous. */
  forcedLayouts: number;
  /** Median objects laid out per layout pass, and of how many in the tree. */
  layoutObjects: { dirty: number; total: number };
  styleRecalcs: number;
  /** Median elements whose style was recomputed per pass. */
  styleElements: number;
}

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink',
  'disabled-by-default-v8.gc',
];

const KIND: Record<string, keyof TraceSummary['selfMs']> = {
  FunctionCall: 'script',
  EvaluateScript: 'script',
  EventDispatch: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  RunMicrotasks: 'script',
  'v8.run': 'script',
  'v8.callFunction': 'script',
  V8Execute: 'script',
  UpdateLayoutTree: 'style',
  RecalculateStyles: 'style',
  ParseAuthorStyleSheet: 'style',
  Layout: 'layout',
  Paint: 'paint',
  PrePaint: 'paint',
  Layerize: 'paint',
  UpdateLayer: 'paint',
  UpdateLayerTree: 'paint',
  'LocalFrameView::RunPostLifecycleSteps': 'paint',
  MinorGC: 'gc',
  MajorGC: 'gc',
  'V8.GC_SCAVENGER': 'gc',
  'V8.GC_MARK_COMPACTOR': 'gc',
  'BlinkGC.AtomicPhase': 'gc',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Runs `work` with Chromium tracing on and summarizes the page's main thread over it. */
export async function traced(browser: Browser, page: Page, work: () => Promise<void>): Promise<TraceSummary> {
  await browser.startTracing(page, { categories: CATEGORIES });
  await work();
  const buffer = await browser.stopTracing();
  return summarize((JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
}

export function summarize(events: TraceEvent[]): TraceSummary {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const selfMs: TraceSummary['selfMs'] = { script: 0, style: 0, layout: 0, paint: 0, gc: 0, other: 0 };
  const dirty: number[] = [];
  const total: number[] = [];
  const styled: number[] = [];
  let forced = 0;
  if (!main)
    return {
      selfMs,
      layouts: 0,
      forcedLayouts: 0,
      layoutObjects: { dirty: 0, total: 0 },
      styleRecalcs: 0,
      styleElements: 0,
    };
  const timed = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined && KIND[e.name])
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // Self time: each event's duration minus that of the known events nested directly inside it.
  const stack: { end: number; kind: keyof TraceSummary['selfMs']; child: number; dur: number }[] = [];
  const close = (until: number) => {
    while (stack.length > 0 && stack.at(-1)!.end <= until) {
      const top = stack.pop()!;
      selfMs[top.kind] += (top.dur - top.child) / 1000;
      const parent = stack.at(-1);
      if (parent) parent.child += top.dur;
    }
  };
  for (const e of timed) {
    close(e.ts);
    const kind = KIND[e.name]!;
    if (e.name === 'Layout') {
      if (stack.some((s) => s.kind === 'script')) forced++;
      dirty.push(e.args?.beginData?.dirtyObjects ?? 0);
      total.push(e.args?.beginData?.totalObjects ?? 0);
    }
    if (e.name === 'UpdateLayoutTree' && e.args?.elementCount !== undefined) styled.push(e.args.elementCount);
    stack.push({ end: e.ts + e.dur!, kind, child: 0, dur: e.dur! });
  }
  close(Infinity);
  for (const k of Object.keys(selfMs) as (keyof TraceSummary['selfMs'])[]) selfMs[k] = Math.round(selfMs[k] * 10) / 10;
  return {
    selfMs,
    layouts: dirty.length,
    forcedLayouts: forced,
    layoutObjects: { dirty: median(dirty), total: median(total) },
    styleRecalcs: timed.filter((e) => e.name === 'UpdateLayoutTree').length,
    styleElements: median(styled),
  };
}
