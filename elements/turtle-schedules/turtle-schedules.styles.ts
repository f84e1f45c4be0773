import { css } from 'lit';
import { theme, themeStyles } from '../internal/theme-styles.js';

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
      border-bottom: 1px solid ${theme.borderColor};
      padding: 0.35em 0.5em;
      text-align: left;
      vertical-align: top;
    }
    th {
      background: ${theme.mutedBackground};
      font-size: 0.9em;
    }
    code {
      font-size: 0.95em;
    }
    .state {
      font-size: 0.85em;
      padding: 0.1em 0.5em;
      border-radius: ${theme.radius};
      border: 1px solid currentColor;
      white-space: nowrap;
    }
    .state-active {
      color: ${theme.successColor};
    }
    .state-paused {
      color: ${theme.mutedColor};
    }
    td.actions {
      white-space: nowrap;
    }
    .refresh {
      margin-top: ${theme.spacing};
    }
  `,
];
