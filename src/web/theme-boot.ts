/**
 * Applies the remembered theme before the first paint. Its own tiny entry chunk, loaded first by index.html
 * (the CSP forbids inline scripts), with no imports so it runs before the app bundle has even downloaded.
 * `lib/theme.ts` keeps the class in step afterwards.
 */

export const THEME_KEY = 'atlas-dashboard.theme';
export type ThemeChoice = 'system' | 'light' | 'dark';

export function storedThemeChoice(): ThemeChoice {
  try {
    const raw = JSON.parse(window.localStorage.getItem(THEME_KEY) ?? '"system"');
    return raw === 'light' || raw === 'dark' ? raw : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
}

if (typeof window !== 'undefined' && typeof document !== 'undefined') applyTheme(storedThemeChoice());
