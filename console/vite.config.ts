import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The risk console and GraphiQL, built into console/dist, which the hub serves at / and
 * /graphiql. Everything a page loads comes from this build: no CDN, nothing from outside the hub.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // GraphiQL's dependencies mark modules "use client" for React server components, which a bundle has no use for.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        console: resolve(import.meta.dirname, 'index.html'),
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
      },
    },
  },
});
