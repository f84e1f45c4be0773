import { css } from 'lit';
import { theme, themeStyles } from '../internal/theme-styles.js';
import { outputStyles } from '../internal/output-styles.js';

/** Styles of `<turtle-execution>`. */
export const turtleExecutionStyles = [
  themeStyles,
  outputStyles,
  css`
    article {
      display: grid;
      gap: ${theme.spacing};
    }
    header {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
      align-items: baseline;
    }
    h2,
    h3 {
      margin: 0;
      font-size: 1.1em;
    }
    h3 {
      font-size: 1em;
    }
    section {
      display: grid;
      gap: 0.35em;
    }
    .meta {
      font-size: 0.875em;
    }
    ol.timeline,
    ul.deliveries {
      margin: 0;
      padding-left: 1.25em;
      font-size: 0.9em;
    }
    /* Retries, takeovers and failed cancel hooks. */
    ol.timeline li.notable {
      color: ${theme.errorColor};
      font-weight: 600;
    }
    .section-head {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
      align-items: baseline;
    }
    .section-head button {
      font-size: 0.85em;
      padding: 0.15em 0.6em;
    }
    .actions {
      display: flex;
      gap: 0.5em;
    }
    pre {
      white-space: pre-wrap;
      font-size: 0.85em;
      background: ${theme.mutedBackground};
      padding: 0.5em;
      margin: 0;
    }
  `,
];
