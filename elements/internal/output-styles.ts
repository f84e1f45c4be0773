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
    padding: 0;
  }
  /* The header is a button (sorting), drawn as the header it is. */
  th button.sort {
    all: unset;
    box-sizing: border-box;
    display: block;
    width: 100%;
    padding: 0.25em 0.5em;
    font-weight: 600;
    cursor: pointer;
    white-space: nowrap;
  }
  th button.sort:focus-visible {
    outline: var(--turtle-focus-ring, 2px solid ${theme.accentColor});
    outline-offset: -2px;
  }
  td.number {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  /* A number or a date on one line; a wide table scrolls instead. */
  td.number,
  td.date {
    white-space: nowrap;
  }
  .table-page {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: baseline;
    margin-top: 0.35em;
    font-size: 0.9em;
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
  .long-text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    max-height: 12em;
    overflow: auto;
    padding: 0.25em 0.5em;
    border: 1px solid ${theme.borderColor};
    border-radius: ${theme.radius};
    background: ${theme.mutedBackground};
    min-width: 12em;
  }
  a {
    color: ${theme.accentColor};
  }
  /* Outside tables (which scroll sideways), a long URL wraps rather than widening the page. */
  dd > a,
  li > a {
    overflow-wrap: anywhere;
  }
  /* The exact time is on hover; marked outside tables only (a column of dotted lines is noise). */
  dd > time[title] {
    text-decoration: underline dotted;
    text-decoration-color: ${theme.mutedColor};
  }
  dt[title] {
    text-decoration: underline dotted;
  }
  .empty {
    color: ${theme.mutedColor};
  }
`;
