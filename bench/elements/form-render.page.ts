/**
 * The page of bench/elements/form-render.ts (bundled by esbuild, run in Chromium): `<turtle-form>`
 * for a 40-field function, and a hand-written Lit element rendering the same 40 labelled inputs.
 * `<turtle-form>` runs twice: asking the in-process server for its function, and with the answer
 * given in the page (its `fetch` answered from memory: the element's own work without the request).
 * `window.bench.round(kind)` inserts one, waits until it has rendered its form and forces layout,
 * and answers the milliseconds from insertion.
 */
import { LitElement, css, html, type TemplateResult } from 'lit';
import '../../elements/turtle-form/turtle-form.js';
import {
  FIELD_COUNT,
  FORM_FUNCTION,
  FORM_INFO,
  PLAIN_FIELDS,
  type PlainField,
} from './support/forty-fields.js';

/** What a page author writes by hand for the same form: a label, an input and a help line per field. */
class PlainForm extends LitElement {
  static override properties = { fields: { attribute: false } };
  static override styles = css`
    :host {
      display: block;
      font:
        1rem system-ui,
        sans-serif;
    }
    .field {
      display: grid;
      gap: 0.25rem;
      margin-bottom: 0.75rem;
    }
    .help {
      color: #59636e;
      font-size: 0.875em;
    }
  `;
  declare fields: PlainField[];

  constructor() {
    super();
    this.fields = [];
  }

  protected override render(): TemplateResult {
    return html`<form>
      <h2>${FORM_INFO.title}</h2>
      ${this.fields.map(
        (field) =>
          html`<div class="field">
            <label for=${field.name}>${field.label}</label>${this.control(field)}
            <span class="help">${field.help}</span>
          </div>`,
      )}
      <button type="submit">Run</button>
    </form>`;
  }

  private control(field: PlainField): TemplateResult {
    switch (field.kind) {
      case 'enum':
        return html`<select id=${field.name} name=${field.name}>
          ${field.options!.map((o) => html`<option value=${o.toLowerCase()}>${o}</option>`)}
        </select>`;
      case 'boolean':
        return html`<input id=${field.name} name=${field.name} type="checkbox" />`;
      case 'date':
        return html`<input id=${field.name} name=${field.name} type="date" />`;
      case 'integer':
      case 'number':
        return html`<input id=${field.name} name=${field.name} type="number" />`;
      case 'text':
        return html`<input id=${field.name} name=${field.name} type="text" />`;
    }
  }
}
customElements.define('plain-form', PlainForm);

/** The same element, but fetching the function first as `<turtle-form>` does: what the request costs. */
class FetchingPlainForm extends PlainForm {
  override connectedCallback(): void {
    super.connectedCallback();
    void fetch(`/api/functions/${FORM_FUNCTION}`, { headers: { accept: 'application/json' } })
      .then((response) => response.json())
      .then((info: typeof FORM_INFO) => {
        this.fields = PLAIN_FIELDS.filter((field) => field.name in info.params.properties);
      });
  }

  protected override render(): TemplateResult {
    return this.fields.length ? super.render() : html`<p>Loading…</p>`;
  }
}
customElements.define('fetching-plain-form', FetchingPlainForm);

/** Whether `GET /api/functions/intake` is answered in the page (no request) for this round. */
let answerInPage = false;
const networkFetch = window.fetch.bind(window);
window.fetch = (input, init) =>
  answerInPage &&
  String(input instanceof Request ? input.url : input).endsWith(`/api/functions/${FORM_FUNCTION}`)
    ? Promise.resolve(
        new Response(JSON.stringify(FORM_INFO), { headers: { 'content-type': 'application/json' } }),
      )
    : networkFetch(input, init);

/** Resolves at the next change below `root` (a microtask after it, not a frame). */
function nextMutation(root: Node): Promise<void> {
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      observer.disconnect();
      resolve();
    });
    observer.observe(root, { childList: true, subtree: true, attributes: true });
  });
}

/** Which element a round inserts. */
type Kind = 'turtle-form' | 'turtle-form-in-page' | 'plain-form' | 'fetching-plain-form';

async function round(kind: Kind): Promise<number> {
  const host = document.createElement('div');
  document.body.append(host);
  answerInPage = kind === 'turtle-form-in-page';
  const tag = kind === 'turtle-form-in-page' ? 'turtle-form' : kind;
  const element = document.createElement(tag) as LitElement & { fn?: string; fields?: PlainField[] };
  if (tag === 'turtle-form') element.fn = FORM_FUNCTION;
  else if (kind === 'plain-form') element.fields = PLAIN_FIELDS;
  const start = performance.now();
  host.append(element);
  await element.updateComplete;
  // Those that fetch first show "Loading…", then their form once they have the function (one request).
  const root = element.shadowRoot!;
  while (!root.querySelector('form')) await nextMutation(root);
  await element.updateComplete;
  void document.body.offsetHeight; // forced style and layout: what the first paint waits for
  const elapsed = performance.now() - start;
  const labels = root.querySelectorAll('label[for], legend, [role="radiogroup"]').length;
  host.remove();
  if (labels < FIELD_COUNT) throw new Error(`${kind} rendered ${labels} labelled fields, not ${FIELD_COUNT}`);
  return elapsed;
}

declare global {
  interface Window {
    bench: { round(kind: Kind): Promise<number> };
    benchReady: boolean;
  }
}

window.bench = { round };
window.benchReady = true;
