// The renderer's build (DESIGN §8): one React app under renderer/, bundled into dist/renderer
// with every asset (Monaco and its worker included), so it runs offline from the cluster's
// HTTP server or the Electron window. Relative asset paths let both hosts load it.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // Monaco (about 3 MB) is loaded by a dynamic import, so it is its own chunk and the
    // shell paints before it arrives.
    chunkSizeWarningLimit: 4000,
  },
  worker: { format: 'es' },
});
