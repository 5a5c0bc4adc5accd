import { startStack } from './e2e/stack.ts';
import { launchChromium, openPage } from './support/browser.ts';
const stack = await startStack({ seed: 42, speed: 0 });
const browser = await launchChromium();
try {
  const b = stack.world.bigCluster;
  const t = await openPage(browser);
  const page = t.page;
  await page.goto(`${stack.url}/projects/${b.groupId}/clusters/${b.name}/exports?sort=-duration`);
  await page.getByText('all pages loaded', { exact: false }).waitFor();
  await page.waitForTimeout(1000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const times = await page.evaluate(async (typed) => {
    const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const out: number[] = [];
    for (let round = 0; round < 3; round++)
    for (let i = 1; i <= typed.length; i++) {
      await new Promise((r) => setTimeout(r, 120));
      const before = document.querySelector('[data-testid="history-summary"]')?.textContent;
      const t0 = performance.now();
      const done = new Promise<void>((resolve) => {
        const obs = new MutationObserver(() => {
          if (document.querySelector('[data-testid="history-summary"]')?.textContent === before) return;
          obs.disconnect();
          resolve();
        });
        obs.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      setValue.call(input, i === typed.length && round < 2 ? '' : typed.slice(0, i));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await done;
      out.push(performance.now() - t0);
    }
    return out;
  }, 'ops-12');
  const { profile } = await cdp.send('Profiler.stop');
  console.log('times', times.map((x) => x.toFixed(1)).join(' '));
  const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const self = new Map<string, number>();
  const dt = profile.timeDeltas as number[];
  (profile.samples as number[]).forEach((id, i) => {
    const n: any = byId.get(id);
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}:${cf.lineNumber}:${cf.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [k, v] of top) console.log(v.toFixed(1).padStart(8), k);
} finally {
  await browser.close();
  await stack.close();
}
