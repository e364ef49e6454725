import { defineConfig } from 'vite';

/**
 * The operator console's front end (Preact + uPlot), bundled at build time into dist/console and
 * served by the gateway under /console; nothing is fetched or compiled at run time. Run from the
 * repository root (`npm run build`).
 */
export default defineConfig({
  root: 'apps/console',
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    // Everything in two files (script and stylesheet): the gateway serves them from memory.
    cssCodeSplit: false,
    assetsInlineLimit: 16_384,
    rollupOptions: { output: { manualChunks: undefined } },
  },
});
