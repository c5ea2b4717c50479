// Bundles tracker/src into dist/al.js: one minified IIFE with js-cookie inlined (budget: 2,048 bytes gzipped); widget/src
// into dist/widget.js (below);
// and each script of the dashboard (collector/src/dashboard/client/NAME.ts) into dist/dashboard/NAME.js, one IIFE
// per page with its libraries (uPlot) inlined, served by the collector itself (budget: 60 KB gzipped a page).
import { readdirSync } from 'node:fs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const browserTypescript = (include) => typescript({
  tsconfig: false,
  include,
  compilerOptions: {
    target: 'ES2020',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2020', 'DOM', 'DOM.Iterable'],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    skipLibCheck: true,
    verbatimModuleSyntax: true,
    rewriteRelativeImportExtensions: true,
    noEmitOnError: true,
    sourceMap: false,
    declaration: false,
  },
});

const DASHBOARD_CLIENT = 'collector/src/dashboard/client';
const dashboardScripts = readdirSync(DASHBOARD_CLIENT).filter((f) => f.endsWith('.ts')).map((f) => ({
  input: `${DASHBOARD_CLIENT}/${f}`,
  output: { file: `dist/dashboard/${f.replace(/\.ts$/, '.js')}`, format: 'iife', strict: false },
  plugins: [nodeResolve(), browserTypescript([`${DASHBOARD_CLIENT}/**/*.ts`]), terser({ ecma: 2020, format: { comments: false } })],
}));

const tracker = {
  input: 'tracker/src/index.ts',
  output: {
    file: 'dist/al.js',
    format: 'iife',
    // The sources are modules (strict already); the directive would only cost bytes.
    strict: false,
  },
  plugins: [
    // Default export conditions pick js-cookie's ES module build, which tree-shakes and mangles best.
    nodeResolve(),
    // Only the tracker's own files, with browser settings; the root tsconfig still type-checks them for tsc.
    browserTypescript(['tracker/src/**/*.ts']),
    terser({
      ecma: 2020,
      toplevel: true,
      compress: { passes: 3, pure_getters: true, unsafe_arrows: true, unsafe_methods: true },
      // Property names stay: they are the wire format and the public API.
      mangle: true,
      // js-cookie's banner costs 24 bytes of the budget; its MIT licence is credited in tracker/ARCHITECTURE.md.
      format: { comments: false },
    }),
  ],
};

// The site widget (widget/src, issue 14) into dist/widget.js: one IIFE beside al.js, served at /widget.js (budget: 12 KB
// gzipped, widget/test/size.test.ts). It shares al.js's cookie names, not its code: neither loads the other.
const widget = {
  input: 'widget/src/index.ts',
  output: { file: 'dist/widget.js', format: 'iife', strict: false },
  // Only cookies.ts's names are imported: js-cookie (whose set-up looks like a side effect) stays out.
  treeshake: { moduleSideEffects: (id) => !id.includes('js-cookie') },
  plugins: [
    nodeResolve(),
    browserTypescript(['widget/src/**/*.ts', 'tracker/src/**/*.ts']),
    terser({ ecma: 2020, toplevel: true, compress: { passes: 2 }, mangle: true, format: { comments: false } }),
  ],
};

export default [tracker, widget, ...dashboardScripts];
