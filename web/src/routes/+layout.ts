// A single-page app: `motcua serve` answers every page path with the shell, the browser renders.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
