/**
 * The `schedules` option of `registry.add`: a bad cron or time zone is refused when registering, inputs
 * that do not fit the parameters when binding (server start), each error naming the schedule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistryError } from '../../../server/errors.js';
import { createRegistry } from '../../../server/registry/registry.js';
import { manifestOf } from '../../support/manifests.js';

const params = { properties: { reportId: { type: 'number' as const } }, required: ['reportId'] };

describe('the schedules option', () => {
  it('binds each schedule with its id, time zone (UTC by default) and inputs with defaults', () => {
    const r = createRegistry();
    r.add(
      function resend(reportId: number, to = 'team') {
        return `${reportId} ${to}`;
      },
      {
        schedules: [
          { cron: '0 3 * * *', timezone: 'Europe/Berlin', input: { reportId: 1 } },
          { cron: '*/5 * * * *', input: { reportId: 2 } },
        ],
      },
    );
    const manifest = manifestOf({
      resend: {
        properties: { ...params.properties, to: { type: 'string', default: 'team' } },
        required: ['reportId'],
      },
    });
    const bound = r.bind(manifest, { manifestDir: '.', checkSources: false }).require('resend');
    assert.deepEqual(bound.schedules, [
      { id: 'resend.1', cron: '0 3 * * *', timezone: 'Europe/Berlin', input: { reportId: 1, to: 'team' } },
      { id: 'resend.2', cron: '*/5 * * * *', timezone: 'UTC', input: { reportId: 2, to: 'team' } },
    ]);
  });

  it('refuses a bad cron or time zone when registering, naming it', () => {
    const r = createRegistry();
    assert.throws(
      () => r.add(function a() {}, { schedules: [{ cron: '0 25 * * *' }] }),
      (err: RegistryError) =>
        err instanceof RegistryError && /a: option schedules \[0\]: cron "0 25 \* \* \*"/.test(err.message),
    );
    assert.throws(
      () => r.add(function b() {}, { schedules: [{ cron: '@daily', timezone: 'Europe/Nowhere' }] }),
      /timezone "Europe\/Nowhere" is not an IANA time zone/,
    );
  });

  it('refuses inputs that do not fit, and schedules of a function run in the request, when binding', () => {
    const r = createRegistry();
    r.add(
      function c(reportId: number) {
        return reportId;
      },
      { schedules: [{ cron: '@daily', input: { reportId: 'x' } }] },
    );
    assert.throws(
      () => r.bind(manifestOf({ c: params }), { manifestDir: '.', checkSources: false }),
      (err: RegistryError) => {
        assert.match(err.message, /c: the input of schedule c\.1 does not fit the parameters/);
        assert.deepEqual(
          (err.details.errors as { path: string }[]).map((e) => e.path),
          ['/reportId'],
        );
        return true;
      },
    );
    const s = createRegistry();
    s.addSync(function d() {}, { schedules: [{ cron: '@daily' }] });
    assert.throws(
      () => s.bind(manifestOf({ d: { mode: 'sync' } }), { manifestDir: '.', checkSources: false }),
      /d: option schedules needs a background function/,
    );
  });
});
