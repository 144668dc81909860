// Lint: TypeScript rules plus the layer rules of DESIGN.md, at error level.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import patterns a layer may not use, keyed by the folder the rule applies to. */
const layerRules = [
  { files: ['src/api/**'], banned: ['**/util/**', '**/storage/**', '**/apiserver/**', '**/client/**', '**/scheduler/**', '**/controllers/**', '**/kubelet/**', '**/cloud/**', '**/aws/**', '**/cli/**', '**/console/**', '**/main/**'], why: 'api/ imports nothing of Kumo' },
  { files: ['src/util/**'], banned: ['**/storage/**', '**/apiserver/**', '**/client/**', '**/scheduler/**', '**/controllers/**', '**/kubelet/**', '**/cloud/**', '**/aws/**', '**/cli/**', '**/main/**'], why: 'util/ stands below every other layer but api/' },
  { files: ['src/storage/**'], banned: ['**/apiserver/**', '**/client/**', '**/scheduler/**', '**/controllers/**', '**/kubelet/**', '**/cloud/**', '**/aws/**', '**/cli/**', '**/main/**'], why: 'storage/ knows nothing above it' },
  { files: ['src/client/**'], banned: ['**/storage/**', '**/scheduler/**', '**/controllers/**', '**/kubelet/**', '**/cloud/**', '**/aws/**', '**/cli/**', '**/main/**'], why: 'only apiserver/ and main/ import storage/' },
  { files: ['src/scheduler/**', 'src/controllers/**', 'src/kubelet/**', 'src/cloud/**'], banned: ['**/storage/**', '**/apiserver/**', '**/main/**'], why: 'scheduler, controllers, kubelet and cloud reach Kubernetes only through client/' },
  { files: ['src/aws/**', 'src/cli/**', 'src/console/**'], banned: ['**/storage/**', '**/main/**'], why: 'only apiserver/ and main/ import storage/' },
  { files: ['src/apiserver/**'], banned: ['**/main/**', '**/controllers/**', '**/scheduler/**', '**/kubelet/**', '**/cloud/**', '**/aws/**'], why: 'apiserver/ does not depend on the layers it serves' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  ...layerRules.map(({ files, banned, why }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: banned, message: `Layer rule: ${why} (DESIGN.md).` }] }],
    },
  })),
  {
    // Later blocks override earlier ones for the same rule, so plugins repeat the scheduler's bans.
    files: ['src/scheduler/plugins/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/storage/**', '**/apiserver/**', '**/main/**'], message: 'Layer rule: the scheduler reaches Kubernetes only through client/ (DESIGN.md).' },
          { regex: '^\\.\\./(?!\\.\\./framework/|\\.\\./\\.\\./api/)', message: 'Layer rule: scheduler plugins import only scheduler/framework, never each other (DESIGN.md).' },
        ],
      }],
    },
  },
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
