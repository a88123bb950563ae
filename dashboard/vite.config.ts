import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// `npm run dev` proxies the API to a gateway on :8080 (scripts/run.sh); the build lands in dist/,
// which Maven packs into the gateway jar (served at /).
export default defineConfig({
  plugins: [react()],
  // hls.js in a chunk of its own, so the build's report gives the app's own gzip size beside it.
  build: {
    outDir: 'dist', assetsDir: 'assets', sourcemap: false,
    chunkSizeWarningLimit: 600, // hls.js alone is 578 kB minified (180 kB gzip); the app's own chunk stays far below
    rollupOptions: { output: { manualChunks: (id: string) => (id.includes('node_modules/hls.js') ? 'hls' : undefined) } },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
  test: { environment: 'jsdom' },
});
