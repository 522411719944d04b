import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'src/generated/**', 'node_modules/**', 'data/**', 'coverage/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The playground's boot script runs in the browser as a classic script, after the UMD builds of React,
    // ReactDOM and GraphiQL have defined their globals.
    files: ['src/playground/browser/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        localStorage: 'readonly',
        URL: 'readonly',
        React: 'readonly',
        ReactDOM: 'readonly',
        GraphiQL: 'readonly',
      },
    },
  },
  {
    // Every Kibo call goes through the shared client in src/kibo, which owns timeouts, tokens and retries.
    files: ['src/**/*.ts'],
    ignores: ['src/kibo/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'undici', message: 'Call Kibo through src/kibo.' }] }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Call Kibo through src/kibo.' }],
    },
  },
);
