import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The two wings and their one allowed direction (docs/architecture.md): the engine knows nothing
 * of HPC, the CLI wires both, and the domain never reaches back into the CLI.
 */
const wingRules = (patterns, message) => ({ 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] });

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'cache/', 'results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: wingRules(['**/hpc/**', '**/cli/**', '**/tasks/**', 'bench', 'bench/*'], 'src/engine is the general task-graph engine: it must not import the HPC domain, the CLI or tasks.'),
  },
  {
    files: ['src/hpc/**/*.ts'],
    rules: wingRules(['**/cli/**', '**/tasks/**', 'bench', 'bench/*'], 'src/hpc (the domain) may import src/engine, never the CLI or tasks.'),
  },
);
