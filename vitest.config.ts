/** Renderer unit and component tests: jsdom + Testing Library. */
import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['test/renderer/**/*.test.{ts,tsx}'],
    setupFiles: ['test/renderer/setup.ts'],
    restoreMocks: true,
    pool: 'vmThreads'
  }
})
