/**
 * An old run for the browser tests: `echo` as it was before its `name` parameter was renamed (it was
 * `fullName`, labelled "Person"), run once and stored with that version. Its rerun under the current
 * manifest is a `409 SchemaChanged`. Find it with `GET /api/executions?user=old-schema`.
 */
import type { Knex } from 'knex';
import type { Manifest, Schema } from '../../../manifest/manifest.js';
import { createExecutions, type Registry } from '../../../server/index.js';

/** The user the old run is stored under. */
export const OLD_SCHEMA_USER = 'old-schema';

/** Stores the old run of `echo` (done) with the version it was made with. */
export async function seedOldSchemaRun(
  knex: Knex,
  manifest: Manifest,
  registry: Registry,
  manifestDir: string,
): Promise<void> {
  const echo = manifest.functions.echo!;
  const { name, ...others } = echo.params.properties;
  const before: Manifest = {
    ...manifest,
    functions: {
      ...manifest.functions,
      echo: {
        ...echo,
        params: {
          ...echo.params,
          properties: { fullName: { ...(name as Schema), title: 'Person' }, ...others },
          required: echo.params.required?.map((param) => (param === 'name' ? 'fullName' : param)),
        },
      },
    },
  };
  const functions = registry.bind(before, { manifestDir, checkSources: false });
  await createExecutions({ knex, functions }).runSync(
    'echo',
    { fullName: 'Ada', count: 2 },
    { user: OLD_SCHEMA_USER },
  );
}
