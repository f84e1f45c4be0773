/**
 * `npm run elements:manifest` writes custom-elements.json (the Custom Elements Manifest IDEs and docs
 * read) from the elements' source and their class JSDoc (`@tagname @summary @event @csspart @cssproperty`).
 */
export default {
  globs: ['elements/turtle-*/turtle-*.ts', 'elements/internal/turtle-element.ts'],
  exclude: ['**/*.styles.ts'],
  outdir: '.',
  // package.json names the manifest already; a check writing elsewhere must not rewrite it.
  packagejson: false,
  litelement: true,
  plugins: [
    {
      name: 'turtle-modules-in-path-order',
      // The analyzer lists modules in the order its globs resolved, which varies between runs: sorted,
      // the committed file is the same on every machine.
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      },
    },
    {
      name: 'turtle-documented-events-only',
      // The shared `emit(name, …)` helper dispatches a variable name; the real events are the
      // `@event` tags of each class, so drop anything that is not a `turtle-` event.
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            if (declaration.events)
              declaration.events = declaration.events.filter((e) => e.name?.startsWith('turtle-'));
          }
        }
      },
    },
  ],
};
