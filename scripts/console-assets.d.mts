// Types of console-assets.mjs for vitest.config.ts.
export function copyConsoleAssets(): void;
