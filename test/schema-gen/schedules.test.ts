/**
 * The `schedules` option read statically by `turtle schema`: recorded in the manifest (time zone
 * defaulted to UTC), and a bad cron, time zone, input or non-literal is an error naming it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureErrors, fixtureManifest, fn } from './fixtures.js';

describe('the schedules option in the manifest', () => {
  it('records each schedule with its cron, time zone and inputs as written', () => {
    const sendReport = fn(fixtureManifest('schedules/good.ts'), 'sendReport');
    // turtle's own keywords (here `x-turtle-filterable: true`) do not stop the inputs' check.
    const to = sendReport.params.properties?.['to'] as Record<string, unknown>;
    assert.equal(to['x-turtle-filterable'], true);
    assert.deepEqual(sendReport.schedules, [
      { cron: '0 3 * * *', timezone: 'Europe/Berlin', input: { reportId: 3 } },
      { cron: '*/15 9-17 * * 1-5', timezone: 'UTC', input: { reportId: -1, to: 'ops', loud: true } },
    ]);
  });

  it('reports a bad cron, time zone, inputs and a non-literal input, each on its line', () => {
    const errors = fixtureErrors('schedules/bad.ts').map((e) => [e.type, e.details.line, e.message]);
    assert.equal(errors.length, 4, JSON.stringify(errors, null, 1));
    const [cron, timezone, input, literal] = errors;
    assert.deepEqual(cron!.slice(0, 2), ['InvalidOption', 11]);
    assert.match(String(cron![2]), /schedules\[0\]: cron "0 3 \* \*\s{2}\* \* \*" must have 5 fields/);
    assert.deepEqual(timezone!.slice(0, 2), ['InvalidOption', 12]);
    assert.match(String(timezone![2]), /timezone "Mars\/Base"/);
    assert.deepEqual(input!.slice(0, 2), ['InvalidOption', 13]);
    assert.match(String(input![2]), /schedules\[2\]\.input does not fit.*\/extra.*\/reportId must be number/);
    assert.deepEqual(literal!.slice(0, 2), ['NonLiteralOption', 14]);
  });
});
