import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import pluginQuery from '@tanstack/eslint-plugin-query';
import globals from 'globals';

/** One-way imports between the four parts (ARCHITECTURE.md): web/server/simulator -> atlas, never sideways. */
const boundary = (...forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: forbidden.map((part) => ({
        group: [`**/${part}/*`, `**/${part}`],
        message: `imports flow one way: this part may not import src/${part} (see ARCHITECTURE.md)`,
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/atlas/openapi/schema.d.ts', 'bench/results', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023 },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/atlas/**'], rules: boundary('web', 'server', 'simulator', 'atlas-watch', 'export-health') },
  // The shared export-health module: pure functions over Atlas types, imported by the browser and the watch.
  { files: ['src/export-health/**'], rules: boundary('web', 'server', 'simulator', 'atlas-watch') },
  // The watch reaches Atlas through the reader the server hands it; it imports no server or browser code.
  { files: ['src/atlas-watch/**'], rules: boundary('web', 'server', 'simulator') },
  {
    files: ['src/web/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, '@tanstack/query': pluginQuery },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...pluginQuery.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/server/*',
                '**/simulator/*',
                '**/atlas-watch/*',
                '**/server',
                '**/simulator',
                '**/atlas-watch',
              ],
              message: 'the SPA talks to the server over HTTP only',
            },
            { group: ['node:*'], message: 'the SPA runs in the browser' },
          ],
        },
      ],
    },
  },
  { files: ['src/simulator/**'], rules: boundary('web', 'server', 'atlas-watch', 'export-health') },
  // The server may start the simulator only from its entry point, for demo mode.
  { files: ['src/server/**'], ignores: ['src/server/main.ts'], rules: boundary('web', 'simulator') },
  { files: ['src/server/main.ts'], rules: boundary('web') },
  // Entry points and tests may print.
  {
    files: ['src/*/main.ts', 'tests/**', 'scripts/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-console': 'off' },
  },
);
