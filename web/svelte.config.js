import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** A static single-page app: `motcua serve` answers every page path with `index.html`. */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ fallback: 'index.html', strict: true }),
    // The service worker comes from @vite-pwa/sveltekit (Workbox), not SvelteKit's own.
    serviceWorker: { register: false },
    version: { pollInterval: 0 },
  },
};

export default config;
