import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The architecture, enforced: only src/vscode (and the composition root and its tests) may import `vscode`;
// the pure core imports neither vscode nor the AWS SDK nor the adapters.
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'out/**', '**/*.js', '!esbuild.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/vscode/**', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/vscode talks to VS Code.' }] }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The core is pure.' }],
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'The core talks to AWS through ports; adapters live in src/aws.' },
            { group: ['**/aws/**', '**/vscode/**', '**/sandbox/**', '**/cli/**'], message: 'The core depends on nothing outside it.' },
          ],
        },
      ],
    },
  },
);
