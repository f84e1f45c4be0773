import { css } from 'lit';
import { theme } from './theme-styles.js';

/** Styles of the DOM `renderOutput` makes; include in the `styles` of an element that renders outputs. */
export const outputStyles = css`
  .table-scroll {
    overflow-x: auto;
  }
  /* font: inherit undoes the quirks-mode table font reset of legacy pages without a full doctype. */
  table {
    border-collapse: collapse;
    font: inherit;
  }
  th,
  td {
    border: 1px solid ${theme.borderColor};
    padding: 0.25em 0.5em;
    text-align: left;
    vertical-align: top;
  }
  th {
    background: ${theme.mutedBackground};
  }
  dl {
    margin: 0;
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.25em 1em;
  }
  dl .entry {
    display: contents;
  }
  dt {
    font-weight: 600;
  }
  /* min-width: 0 lets a wide value (a table) scroll inside its cell instead of widening the page. */
  dd {
    margin: 0;
    min-width: 0;
  }
  ul {
    margin: 0;
    padding-left: 1.25em;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .empty {
    color: ${theme.mutedColor};
  }
`;
