/**
 * Start-up check of a plain-text dashboard password with a real strength estimator (zxcvbn: dictionaries,
 * repeats, sequences, keyboard walks, l33t), not only a length rule: `aaaaaaaaaaaa` and `password1234` are
 * 12 characters and would fall to the first guesses any attacker tries.
 */
import { createRequire } from 'node:module';
import type * as Core from '@zxcvbn-ts/core';
import type * as Common from '@zxcvbn-ts/language-common';

/**
 * Loaded from node_modules on first use (both are production dependencies): only a plain-text password needs
 * the estimator, and bundling its dictionaries would double the compiled server (scripts/build-server.mjs) that
 * every deployment parses at start.
 */
const load = createRequire(import.meta.url);

/** zxcvbn's top score: at least 10^10 guesses, out of reach of online guessing behind the sign-in limiter. */
export const MIN_SCORE = 4;
const MIN_GUESSES_LOG10 = 10;

/**
 * Words an attacker tries first against this product: its own names and the usual account words. zxcvbn
 * treats them as a dictionary, so `dashboard-admin-2026` is three guessable parts, not 20 random characters.
 */
const PRODUCT_WORDS = [
  'atlas',
  'mongodb',
  'mongo',
  'dashboard',
  'export',
  'exports',
  'backup',
  'snapshot',
  'admin',
  'administrator',
  'operator',
  'root',
  'user',
  'login',
  'password',
  'secret',
];

let estimator: Core.ZxcvbnFactory | undefined;

function createEstimator(): Core.ZxcvbnFactory {
  const { ZxcvbnFactory }: typeof Core = load('@zxcvbn-ts/core');
  const { adjacencyGraphs, dictionary }: typeof Common = load('@zxcvbn-ts/language-common');
  return new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
}

/** Why this password is too weak, in words, or null when it is strong enough. Never echoes the password. */
export function weakPasswordReason(password: string, user: string): string | null {
  estimator ??= createEstimator();
  const inputs = [user, ...PRODUCT_WORDS];
  const result = estimator.check(password, inputs);
  if (result.score < MIN_SCORE) {
    const hint = result.feedback.warning ? ` (${describe(result.feedback.warning)})` : '';
    return `it is too easy to guess: about 10^${Math.floor(result.guessesLog10)} guesses${hint}`;
  }
  // zxcvbn scores a word between separators (`-admin-`) as random characters. Attackers join known words with
  // a handful of usual separators: score the words alone, plus about 5 choices per separator.
  const separators = password.match(/[^A-Za-z0-9]+/g)?.length ?? 0;
  if (separators === 0) return null;
  const joined = estimator.check(password.replace(/[^A-Za-z0-9]+/g, ''), inputs);
  const log10 = joined.guessesLog10 + separators * Math.log10(5);
  if (log10 >= MIN_GUESSES_LOG10) return null;
  return `it is too easy to guess: about 10^${Math.floor(log10)} guesses (known words joined by separators)`;
}

/** zxcvbn's warning keys, without loading a translation package for a handful of strings. */
function describe(warning: string): string {
  const words: Record<string, string> = {
    simpleRepeat: 'a repeated character',
    extendedRepeat: 'a repeated pattern',
    sequences: 'a sequence such as abc or 123',
    keyPattern: 'a keyboard pattern',
    straightRow: 'a row of keys',
    common: 'a common password',
    similarToCommon: 'close to a common password',
    topTen: 'one of the ten most common passwords',
    topHundred: 'one of the hundred most common passwords',
    userInputs: 'it contains the user name or the product name',
    dates: 'a date',
    recentYears: 'a recent year',
    wordByItself: 'a single word',
    namesByThemselves: 'names on their own',
    commonNames: 'a common name',
  };
  return words[warning] ?? 'a predictable pattern';
}
