import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    sveltekit(),
    // Workbox precaches the shell, every hashed asset and the core's wasm, so that a visited app
    // opens, validates, quotes and queues a filing with no network. GraphQL is never cached by
    // the worker: the app keeps what it needs offline in IndexedDB (src/lib/offline).
    SvelteKitPWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'Một cửa — Dịch vụ công trực tuyến',
        short_name: 'Một cửa',
        description: 'Nộp và theo dõi hồ sơ thủ tục hành chính trực tuyến.',
        lang: 'vi',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#9b1c1c',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
        ],
      },
      workbox: {
        globPatterns: ['client/**/*.{js,css,html,wasm,png,svg,webmanifest}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: '/',
        // Server paths a browser navigates to (a payment gateway sends it to /payments/…/return).
        navigateFallbackDenylist: [/^\/(graphql|attachments|dossiers|payments|kpi|open-data|playground|healthz|readyz|metrics)(\/|$)/],
        cleanupOutdatedCaches: true,
      },
      kit: { adapterFallback: 'index.html', spa: { fallbackMapping: '/' } },
    }),
  ],
  build: { target: 'es2022', reportCompressedSize: false },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:8080', ws: true } } },
});
