import { html, type TemplateResult } from 'lit';
import { TurtleApiError } from './api-error.js';

/** Why an element's data could not be loaded, announced (`role="alert"`), always as text. */
export function renderLoadError(error: unknown): TemplateResult {
  return html`<p class="error-text" role="alert">${TurtleApiError.from(error).message}</p>`;
}
