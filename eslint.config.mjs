import tseslint from 'typescript-eslint';

const RESTRICTED_PATTERNS = ['@app/*/*', '../../libs/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: RESTRICTED_PATTERNS }],
    },
  },
  {
    // Test helpers (@app/testing) stay out of shipped code: only specs and test fixtures use them.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**', 'libs/*/src/**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: RESTRICTED_PATTERNS,
          paths: [{ name: '@app/testing', message: 'test-only library: import it from specs only' }],
        },
      ],
    },
  },
);
