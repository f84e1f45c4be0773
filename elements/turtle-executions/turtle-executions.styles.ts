import { css } from 'lit';
import { tableStyles } from '../internal/table-styles.js';
import { theme, themeStyles } from '../internal/theme-styles.js';

/** Styles of `<turtle-executions>`. */
export const turtleExecutionsStyles = [
  themeStyles,
  tableStyles,
  css`
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: ${theme.spacing};
      align-items: end;
      margin-bottom: ${theme.spacing};
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
      border: 1px solid ${theme.borderColor};
      border-radius: ${theme.radius};
      background: ${theme.background};
      color: inherit;
    }
    .table-scroll {
      overflow-x: auto;
      container-type: inline-size;
    }
    tr[aria-selected='true'] td {
      background: ${theme.mutedBackground};
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
    /* Narrow (a phone): each execution is a card of labelled lines, its actions within reach,
       instead of a table scrolled sideways. The labels come from each cell's data-label. */
    @container (max-width: 36rem) {
      table,
      tbody,
      tr,
      td {
        display: block;
      }
      thead {
        display: none;
      }
      tr {
        border-bottom: 1px solid ${theme.borderColor};
        padding: 0.35em 0;
      }
      td {
        border-bottom: 0;
        padding: 0.15em 0.5em;
      }
      td[data-label] {
        display: grid;
        grid-template-columns: 6em minmax(0, 1fr);
        justify-items: start;
        gap: 0.5em;
        overflow-wrap: anywhere;
      }
      td[data-label]::before {
        content: attr(data-label);
        font-weight: 600;
        color: ${theme.mutedColor};
      }
      td.actions {
        white-space: normal;
        padding-top: 0.35em;
      }
    }
    .more {
      margin-top: ${theme.spacing};
    }
    turtle-execution {
      margin-top: ${theme.spacing};
      border-top: 1px solid ${theme.borderColor};
      padding-top: ${theme.spacing};
    }
  `,
];
