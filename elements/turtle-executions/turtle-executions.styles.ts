import { css } from 'lit';
import { themeStyles } from '../internal/theme-styles.js';

/** Styles of `<turtle-executions>`. */
export const turtleExecutionsStyles = [
  themeStyles,
  css`
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: var(--turtle-spacing);
      align-items: end;
      margin-bottom: var(--turtle-spacing);
    }
    .filters label {
      display: grid;
      gap: 0.25em;
      font-weight: 600;
      font-size: 0.9em;
    }
    select,
    input {
      font: inherit;
      padding: 0.3em 0.5em;
      border: 1px solid var(--turtle-border-color);
      border-radius: var(--turtle-radius);
      background: var(--turtle-background);
      color: inherit;
    }
    .table-scroll {
      overflow-x: auto;
    }
    /* font: inherit undoes the quirks-mode table font reset of legacy pages without a full doctype. */
    table {
      border-collapse: collapse;
      width: 100%;
      font: inherit;
    }
    th,
    td {
      border-bottom: 1px solid var(--turtle-border-color);
      padding: 0.35em 0.5em;
      text-align: left;
      vertical-align: top;
    }
    th {
      background: var(--turtle-muted-background);
      font-size: 0.9em;
    }
    tr[aria-selected='true'] td {
      background: var(--turtle-muted-background);
    }
    td.actions {
      white-space: nowrap;
    }
    td.actions button + button {
      margin-left: 0.35em;
    }
    .progress progress {
      width: 6em;
    }
    .more {
      margin-top: var(--turtle-spacing);
    }
    turtle-execution {
      margin-top: var(--turtle-spacing);
      border-top: 1px solid var(--turtle-border-color);
      padding-top: var(--turtle-spacing);
    }
  `,
];
