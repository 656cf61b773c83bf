// ESLint for the whole workspace (flat config): typescript-eslint's type-checked recommended rules
// on the TypeScript sources, its untyped recommended rules on the plain Node files (jest configs,
// scripts, bins), formatting left to Prettier (`pnpm lint` runs both).
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const globals = require('globals');

module.exports = tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.gen/**', '**/.results/**', '**/tutorial-build/**', '**/coverage/**', '**/.turbo/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      // Each package's tsconfig.json includes all of its src/ (tests too), so the project service
      // finds the program for every .ts file without a list of projects.
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      // Unused names are errors, except the ones marked as deliberately unused (this replaces the
      // packages' old `tsc --noUnusedLocals --noUnusedParameters` scripts).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // CommonJS scripts and jest configs are plain Node files.
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Named here so that loosening the preset can never drop them: a promise nobody awaits or
      // catches is how a rejection goes unhandled and ends the gateway.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Off: an `async` method without `await` is how this codebase implements a Promise-returning
      // interface member (Interface.start/stop, Logger.close, test fakes): `async` turns a throw
      // into a rejection, which `return Promise.resolve()` in a plain method would not.
      '@typescript-eslint/require-await': 'off',
      // A caught `unknown` passed on to reject() as it is, like `throw err` in a catch (which
      // only-throw-error allows by default); a value made up here must still be an Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // Tests build and inspect deliberately malformed data (profiles edited through `any`, parsed
    // JSON payloads): the no-unsafe-* rules flagged 90 such lines in tests, none a defect. Test
    // fakes also print whatever argument they were sent (no-base-to-string, 5 lines): a wrong one
    // fails the test's assertion.
    files: ['**/*.test.ts', '**/test-support/**/*.ts'],
    rules: {
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript outside any tsconfig: no type information, so no type-checked rules.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
