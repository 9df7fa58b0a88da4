import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the dashboard (src/web) to static files in dist/web, which `journey serve` serves at
 * `/`. Everything is bundled: nothing is fetched from a CDN at run time.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web/', import.meta.url)),
  base: './',
  // Preact's JSX, without a framework plugin: the transform alone is all it needs.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Browsers this targets load module preloads natively; the polyfill would be inline script.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
