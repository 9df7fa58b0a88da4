// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Layers and what each may not import (see docs/architecture.md). */
const zones = [
  {
    target: './src/domain',
    from: './src',
    except: ['./domain'],
    message: 'domain/ is pure: it imports nothing outside itself.',
  },
  {
    target: './src/playbook',
    from: './src',
    except: ['./domain', './playbook'],
    message: 'playbook/ depends on the domain only.',
  },
  {
    target: './src/application',
    from: [
      './src/storage',
      './src/agents',
      './src/sources',
      './src/runtime',
      './src/cli',
      './src/config',
    ],
    message: 'application/ defines ports; adapters implement them, never the reverse.',
  },
  {
    target: ['./src/agents', './src/sources', './src/relay'],
    from: ['./src/storage', './src/runtime', './src/cli', './src/config', './src/http'],
    message:
      'agents/, sources/ and relay/ are adapters: they depend on application ports and the domain.',
  },
  {
    target: './examples',
    from: './src',
    message: 'examples/ stand alone: they show an agent built on the A2A SDK only.',
  },
  {
    target: './src/web',
    from: './src',
    except: ['./web'],
    message: 'web/ runs in the browser: it talks to the HTTP API, never imports the server.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'data/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
        },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'The domain takes time from commands (inject a Clock).',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'The domain takes randomness from commands (inject a Random).',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the clock: pass the time in.',
        },
        {
          selector: "CallExpression[callee.object.name='crypto']",
          message: 'The domain takes ids from commands (inject an IdSource).',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(node:|[^.])', message: 'domain/ imports nothing outside itself.' },
          ],
        },
      ],
    },
  },
  {
    // The composition root is where adapters meet ports.
    files: ['src/cli/main.ts'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
  {
    // Test helpers return builder shapes that read better inferred than spelled out.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
  {
    // Components return markup: spelling out JSX.Element on each adds nothing.
    files: ['src/web/**/*.tsx'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
