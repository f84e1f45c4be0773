import { css } from 'lit';
import { tableStyles } from '../internal/table-styles.js';
import { theme, themeStyles } from '../internal/theme-styles.js';

/** Styles of `<turtle-schedules>`. */
export const turtleSchedulesStyles = [
  themeStyles,
  tableStyles,
  css`
    .table-scroll {
      overflow-x: auto;
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
