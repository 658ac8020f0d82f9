// esbuild bundles the panel's stylesheet next to main.js (dist/webview/main.css) when main.ts imports it.
declare module '*.css';
