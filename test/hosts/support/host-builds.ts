/**
 * Builds the host pages (test/hosts/react, test/hosts/vue) with Vite's JS API, as the framework's
 * own tooling would, into `outDir/react/` and `outDir/vue/` (served at `/react/` and `/vue/`).
 * `turtle-shell/elements` is this checkout's source, standing in for the installed package.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const HOSTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ELEMENTS_ENTRY = path.resolve(HOSTS, '../../elements/index.ts');

/** The framework host pages. */
export type HostName = 'react' | 'vue';

/** What every host build shares: its folder, its base path, quiet, nothing written outside `outDir`. */
function baseConfig(host: HostName, outDir: string): InlineConfig {
  return {
    root: path.join(HOSTS, host),
    base: `/${host}/`,
    configFile: false,
    envFile: false,
    publicDir: false,
    logLevel: 'silent',
    // Not node_modules/.vite: node_modules is shared by the checkouts of this machine.
    cacheDir: path.join(outDir, `.vite-${host}`),
    resolve: { alias: { 'turtle-shell/elements': ELEMENTS_ENTRY } },
    build: { outDir: path.join(outDir, host), emptyOutDir: true },
  };
}

/** Each host's build: React's JSX by Vite's own transformer (no React plugin), Vue's SFC by its plugin. */
const CONFIGS: Record<HostName, (outDir: string) => InlineConfig> = {
  react: (outDir) => ({
    ...baseConfig('react', outDir),
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  }),
  vue: (outDir) => ({
    ...baseConfig('vue', outDir),
    plugins: [
      vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('turtle-') } } }),
    ],
  }),
};

/** Builds both host pages into `outDir`, side by side. */
export async function buildHosts(outDir: string): Promise<void> {
  await Promise.all((Object.keys(CONFIGS) as HostName[]).map((host) => build(CONFIGS[host](outDir))));
}
