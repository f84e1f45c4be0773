import { css } from 'lit';
import { theme, themeStyles } from '../internal/theme-styles.js';
import { outputStyles } from '../internal/output-styles.js';

/** Styles of `<turtle-form>`. */
export const turtleFormStyles = [
  themeStyles,
  outputStyles,
  css`
    form {
      display: grid;
      gap: ${theme.spacing};
    }
    header h2 {
      margin: 0 0 0.25em;
      font-size: 1.2em;
    }
    header p {
      margin: 0;
    }
    .field {
      display: grid;
      gap: 0.25em;
    }
    .field.inline {
      grid-template-columns: auto 1fr;
      align-items: center;
      column-gap: 0.5em;
    }
    label,
    legend {
      font-weight: 600;
    }
    .required {
      color: ${theme.errorColor};
    }
    input,
    select,
    textarea {
      font: inherit;
      color: inherit;
      background: ${theme.background};
      padding: 0.35em 0.5em;
      border: 1px solid ${theme.borderColor};
      border-radius: ${theme.radius};
      width: 100%;
    }
    input[type='checkbox'],
    input[type='radio'] {
      width: auto;
    }
    /* A Yes/No reads as one field like the others, not as a group of fields. */
    fieldset.yes-no {
      border: 0;
      padding: 0;
      margin: 0;
      min-width: 0;
    }
    fieldset.yes-no legend {
      padding: 0;
      margin-bottom: 0.25em;
    }
    .choices {
      display: flex;
      gap: 1em;
    }
    .choice {
      font-weight: normal;
      display: inline-flex;
      gap: 0.35em;
      align-items: center;
    }
    textarea {
      min-height: 4.5em;
      resize: vertical;
    }
    [aria-invalid='true'] {
      border-color: ${theme.errorColor};
    }
    fieldset {
      border: 1px solid ${theme.borderColor};
      border-radius: ${theme.radius};
      display: grid;
      gap: ${theme.spacing};
    }
    .help {
      font-size: 0.875em;
      color: ${theme.mutedColor};
    }
    .field-error {
      font-size: 0.875em;
      color: ${theme.errorColor};
    }
    .list-item,
    .record-row,
    .with-value,
    .row-actions {
      display: flex;
      gap: 0.5em;
      align-items: center;
    }
    .record-row > *,
    .with-value > input {
      flex: 1;
    }
    .record-row > button {
      flex: none;
    }
    .choices.wrap {
      flex-wrap: wrap;
    }
    fieldset.row {
      border-style: dashed;
    }
    .actions {
      display: flex;
      gap: 0.5em;
      align-items: center;
    }
    .form-errors {
      border: 1px solid ${theme.errorColor};
      border-radius: ${theme.radius};
      padding: 0.5em;
      color: ${theme.errorColor};
    }
    .prefill {
      border: 1px solid ${theme.borderColor};
      border-radius: ${theme.radius};
      background: ${theme.mutedBackground};
      padding: 0.5em;
    }
    .prefill p,
    .prefill ul {
      margin: 0;
    }
    .prefill ul {
      padding-left: 1.25em;
    }
    .result {
      border-top: 1px solid ${theme.borderColor};
      padding-top: ${theme.spacing};
      display: grid;
      gap: 0.5em;
    }
    .result h3 {
      margin: 0;
      font-size: 1em;
    }
  `,
];
