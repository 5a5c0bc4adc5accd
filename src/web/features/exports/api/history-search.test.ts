import { describe, expect, it } from 'vitest';
import { exportDetailsHref, validateExportsSearch, withFilters, withPaging } from './exports-search.ts';
import { needsHistory, resolveQuery } from './history-search.ts';
import { searchNotices } from './search-notices.ts';

describe('filter and sort in the URL', () => {
  it('keeps valid filters, canonicalises states and drops defaults', () => {
    expect(
      validateExportsSearch({ state: 'failed,InProgress,Failed', q: 'OPS-5432', since: '7d', sort: '-duration' }),
    ).toEqual({ state: 'InProgress,Failed', q: 'OPS-5432', since: '7d', sort: '-duration' });
    expect(validateExportsSearch({ sort: '-created', q: '  ' })).toEqual({});
    expect(validateExportsSearch({ q: 5432, state: ['Failed', 'Queued'] })).toEqual({
      q: '5432',
      state: 'Queued,Failed',
    });
  });
  it('drops what it cannot read, and says so', () => {
    const raw = {
      state: 'Failed,Exploded',
      since: 'yesterday',
      q: 'x'.repeat(250),
      sort: 'size',
      page: 0,
      perPage: 37,
    };
    const search = validateExportsSearch(raw);
    expect(search).toEqual({ state: 'Failed', q: 'x'.repeat(200), perPage: 25 });
    const notes = searchNotices(raw);
    expect(notes).toHaveLength(6);
    expect(notes.join('\n')).toMatch(/Exploded/);
    expect(notes.join('\n')).toMatch(/since=“yesterday”/);
    expect(notes.join('\n')).toMatch(/first 200 characters/);
    expect(notes.join('\n')).toMatch(/showing page 1/);
    expect(notes.join('\n')).toMatch(/showing 25/);
    expect(searchNotices({ state: 'Failed', page: 3, perPage: 100, since: '2026-11-01' })).toEqual([]);
    expect(searchNotices({ since: '2026-11-01', until: '2026-12-01' })).toEqual([]);
    expect(searchNotices({ since: '2026-12-01', until: '2026-11-01' })).toEqual([
      'since=“2026-12-01” is not before until=“2026-11-01”: no job can match. Swap them, or clear one of them.',
    ]);
  });
  it('overrides every raw value the router spreads under it', () => {
    const raw = { page: 0, perPage: 37, since: 'yesterday', state: 'Bogus', sort: 'size' };
    expect({ ...raw, ...validateExportsSearch(raw) }).toEqual({ perPage: 25 });
  });
  it('knows when the whole history is needed and what to ask of it', () => {
    expect(needsHistory({})).toBe(false);
    expect(needsHistory({ sort: 'duration' })).toBe(true);
    expect(resolveQuery({ state: 'Failed', since: '7d', sort: 'duration' })).toEqual({
      query: { states: ['Failed'], since: '7d' },
      sort: { key: 'duration', desc: false },
    });
    expect(resolveQuery({}).sort).toEqual({ key: 'created', desc: true });
  });
  it('a new filter resets the page; paging keeps the filters; details links carry both', () => {
    expect(withFilters({ page: 4, perPage: 100, state: 'Failed' }, { q: 'x' })).toEqual({
      perPage: 100,
      state: 'Failed',
      q: 'x',
    });
    expect(withFilters({ state: 'Failed', q: 'x' }, { state: undefined })).toEqual({ q: 'x' });
    expect(withPaging({ state: 'Failed', page: 2 }, 3, 50)).toEqual({ state: 'Failed', page: 3 });
    expect(exportDetailsHref('g', 'c', 'e', { state: 'Failed', q: 'a b', page: 2 })).toBe(
      '/projects/g/clusters/c/exports/e?page=2&state=Failed&q=a+b',
    );
  });
});
