import * as z from 'zod/mini';
import { applyTheme, THEME_KEY, type ThemeChoice } from '../theme-boot.ts';
import { createPreference } from './preference.ts';

export type { ThemeChoice };
export const THEME_CHOICES = ['system', 'light', 'dark'] as const satisfies readonly ThemeChoice[];

export const themePreference = createPreference<ThemeChoice>(THEME_KEY, z.enum(THEME_CHOICES), 'system');

/** Keeps `<html class="dark">` in step with the choice and, under "system", with the operating system. */
export function startThemeSync(): void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => applyTheme(themePreference.get());
  themePreference.subscribe(apply);
  media.addEventListener('change', apply);
  apply();
}
