/**
 * Property, in Chromium: `<turtle-form fn="richForm">` (test/elements/fixtures/rich-form.ts: records,
 * arrays of enums and of objects, formats, range/radio/hidden widgets) filled through its controls as
 * a person would — entries added, boxes ticked, rows added and moved, or fields left untouched — and
 * submitted to the real API gives the function what a direct call with the same values gives.
 * A dozen generated fillings keep it quick; test/elements/internal/form-round-trip.property.test.ts
 * covers every kind × optionality in Node.
 */
import { expect, fixture, html } from '@open-wc/testing';
import fc from 'fast-check';
import '../../../elements/index.js';
import type { TurtleForm } from '../../../elements/index.js';
import type { Execution } from '../../../api/index.js';
import { utcOffset } from '../../../elements/internal/form-values.js';
import { describe, it } from '../support/mocha.js';
import { apiUrl, shadow, shadowWait, type } from '../support/api.js';
import { acceptedByTheApi } from '../support/api-json.js';
import { richForm, type Sample } from '../fixtures/rich-form.js';

/** What a person does with each field: `undefined` leaves it as the form shows it. */
interface Filling {
  labels: Record<string, string>;
  shades: number[];
  samples?: { rows: Sample[]; moveUp: number[] };
  extra?: Record<string, unknown>;
  sizes?: string[];
  contact?: string;
  site?: string;
  day?: string;
  at?: string;
  level?: number;
  shade?: number;
}

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.'-]{0,8}$/).map((w) => w.trim());
const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,6}$/);
const pad = (n: number) => String(n).padStart(2, '0');
/** Plain objects (fast-check may make null-prototype ones) of what survives JSON. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const fillingArb: fc.Arbitrary<Filling> = fc.record(
  {
    labels: fc.dictionary(key, word, { minKeys: 1, maxKeys: 2 }).map(plain),
    shades: fc.subarray([1, 2, 3], { minLength: 1 }),
    samples: fc
      .array(fc.record({ id: word, count: fc.integer({ min: 0, max: 99 }) }, { requiredKeys: ['id'] }), {
        minLength: 1,
        maxLength: 3,
      })
      .chain((rows) =>
        fc.record({
          rows: fc.constant(plain(rows)),
          moveUp: fc.array(fc.integer({ min: 1, max: Math.max(1, rows.length - 1) }), { maxLength: 2 }),
        }),
      )
      .map(({ rows, moveUp }) => ({ rows, moveUp: rows.length > 1 ? moveUp : [] })),
    extra: fc
      .dictionary(key, fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 2 })
      .map(plain)
      .filter(acceptedByTheApi),
    sizes: fc.subarray(['small', 'large'], { minLength: 1 }),
    contact: fc.stringMatching(/^[a-z][a-z0-9]{0,5}@[a-z]{1,6}\.[a-z]{2,3}$/),
    site: fc.tuple(key, key).map(([host, path]) => `https://${host.toLowerCase()}.example/${path}`),
    day: fc
      .date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    at: fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${pad(h)}:${pad(m)}`),
    level: fc.integer({ min: 0, max: 10 }),
    shade: fc.constantFrom(1, 2, 3),
  },
  { requiredKeys: ['labels', 'shades'] },
);

/** The rows in the order the "Move up" presses leave them. */
function moved({ rows, moveUp }: NonNullable<Filling['samples']>): Sample[] {
  const order = [...rows];
  for (const i of moveUp) [order[i - 1], order[i]] = [order[i]!, order[i - 1]!];
  return order;
}

/** What the function answers when called directly with the filling's values (left fields: undefined). */
function direct(f: Filling): unknown {
  return plain(
    richForm(
      f.labels,
      f.shades as never,
      f.samples && moved(f.samples),
      f.extra,
      f.sizes as never,
      f.contact,
      f.site,
      f.day,
      // A time input's value, sent with the browser's offset.
      f.at && `${f.at}:00${utcOffset(new Date())}`,
      f.level,
      f.shade,
    ),
  );
}

const control = (el: TurtleForm, path: string) =>
  shadow<HTMLInputElement>(el, `[data-path="${path}"] [part~="control"]`);

async function click(el: TurtleForm, selector: string): Promise<void> {
  shadow<HTMLElement>(el, selector).click();
  await el.updateComplete;
}

/** Adds one entry per key to a record field and types its key and value. */
async function fillRecord(el: TurtleForm, path: string, entries: [string, string][]): Promise<void> {
  const id = `field${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  for (const [i, [k, v]] of entries.entries()) {
    await click(el, `[data-path="${path}"] [part~="add"]`);
    type(shadow(el, `#${id}-${i}-key`), k);
    type(shadow(el, `#${id}-${i}-value`), v);
  }
}

async function fill(el: TurtleForm, f: Filling): Promise<void> {
  await fillRecord(el, '/labels', Object.entries(f.labels));
  for (const value of f.shades) await click(el, `#field-shades-${value - 1}`);
  if (f.samples) {
    for (const [i, row] of f.samples.rows.entries()) {
      await click(el, '[data-path="/samples"] [part~="add"]');
      type(control(el, `/samples/${i}/id`), row.id);
      if (row.count !== undefined) type(control(el, `/samples/${i}/count`), String(row.count));
    }
    for (const i of f.samples.moveUp) await click(el, `button[aria-label="Move Samples ${i + 1} up"]`);
  }
  if (f.extra)
    await fillRecord(
      el,
      '/extra',
      Object.entries(f.extra).map(([k, v]) => [k, JSON.stringify(v)]),
    );
  for (const size of f.sizes ?? []) await click(el, `#field-sizes-${size === 'small' ? 0 : 1}`);
  for (const name of ['contact', 'site', 'day', 'at', 'level'] as const) {
    const value = f[name];
    if (value !== undefined) type(control(el, `/${name}`), String(value));
  }
  if (f.shade !== undefined) await click(el, f.shade === 1 ? '#field-shade' : `#field-shade-${f.shade - 1}`);
  await el.updateComplete;
}

async function submitted(f: Filling): Promise<unknown> {
  const el = await fixture<TurtleForm>(
    html`<turtle-form fn="richForm" api-base=${await apiUrl()}></turtle-form>`,
  );
  await shadowWait(el, 'form');
  await fill(el, f);
  let execution: Execution | undefined;
  el.addEventListener('turtle-created', (e) => (execution = e.detail.execution), { once: true });
  await el.submit();
  await el.updateComplete;
  const problems = [...el.shadowRoot!.querySelectorAll('[part~="field-error"], [part~="form-errors"]')];
  expect(execution, `not sent: ${problems.map((p) => p.textContent?.trim()).join('; ')}`).to.not.equal(
    undefined,
  );
  expect(execution!.error, JSON.stringify(execution!.error)).to.equal(null);
  return execution!.output;
}

describe('<turtle-form> submitted in Chromium gives the function what a direct call gives', () => {
  it('untouched (required fields filled in)', async () => {
    const f: Filling = { labels: { a: 'x' }, shades: [2] };
    expect(await submitted(f)).to.deep.equal(direct(f));
  });

  it('filled in and left in generated mixes', async () => {
    await fc.assert(
      fc.asyncProperty(fillingArb, async (f) => {
        expect(await submitted(f), JSON.stringify(f)).to.deep.equal(direct(f));
      }),
      { numRuns: 12 },
    );
  });
});
