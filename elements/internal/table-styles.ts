import { css } from 'lit';
import { theme } from './theme-styles.js';

/** The list tables of `<turtle-executions>` and `<turtle-schedules>`: ruled rows, muted headings. */
export const tableStyles = css`
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
`;
