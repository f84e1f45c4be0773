import { css } from 'lit';
import { themeStyles } from '../internal/theme-styles.js';

/** Styles of `<turtle-schedules>`. */
export const turtleSchedulesStyles = [
  themeStyles,
  css`
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
      border-bottom: 1px solid var(--turtle-border-color, #d1d9e0);
      padding: 0.35em 0.5em;
      text-align: left;
      vertical-align: top;
    }
    th {
      background: var(--turtle-muted-background, #f6f8fa);
      font-size: 0.9em;
    }
    code {
      font-size: 0.95em;
    }
    .state {
      font-size: 0.85em;
      padding: 0.1em 0.5em;
      border-radius: var(--turtle-radius, 4px);
      border: 1px solid currentColor;
      white-space: nowrap;
    }
    .state-active {
      color: var(--turtle-success-color, #1a7f37);
    }
    .state-paused {
      color: var(--turtle-muted-color, #59636e);
    }
    td.actions {
      white-space: nowrap;
    }
    .refresh {
      margin-top: var(--turtle-spacing, 0.75rem);
    }
  `,
];
