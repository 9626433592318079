import tseslint from 'typescript-eslint';

const RESTRICTED_PATTERNS = [
  { group: ['@app/*/*', '../../libs/*'], message: 'import another library through its @app/<lib> barrel' },
];

// Libraries (specs included) take shared test helpers from @app/testing, never from the e2e folder.
const NO_TEST_SUPPORT = {
  group: ['**/test/support', '**/test/support/*'],
  message: 'lib code and lib specs import test helpers from @app/testing; test/support is for e2e only',
};

const NO_TESTING_LIBRARY = { name: '@app/testing', message: 'test-only library: import it from specs only' };

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
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...RESTRICTED_PATTERNS, NO_TEST_SUPPORT] }],
    },
  },
  {
    // Test helpers (@app/testing) stay out of shipped code: only specs and test fixtures use them.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**', 'libs/*/src/**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...RESTRICTED_PATTERNS, NO_TEST_SUPPORT], paths: [NO_TESTING_LIBRARY] },
      ],
    },
  },
);
