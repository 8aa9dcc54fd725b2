import neostandard from 'neostandard'
import reactHooks from 'eslint-plugin-react-hooks'
import reactRefresh from 'eslint-plugin-react-refresh'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'out/**', 'release/**', '.tools/**', 'node_modules/**'] }),
  {
    rules: {
      // TypeBox's idiom: a schema value and its static type share one name (`const X = Type…; type X = Static<typeof X>`).
      '@typescript-eslint/no-redeclare': 'off'
    }
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, 'react-refresh': reactRefresh },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }]
    }
  }
]
