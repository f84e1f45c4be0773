import { css } from 'lit';

/**
 * The `--turtle-*` custom properties every element reads, each as `var(--turtle-…, default)`.
 *
 * The defaults live here, at the use site, and never on `:host`: a property declared on `:host`
 * would shadow the page's value for every element nested in another's shadow root (the detail
 * inside `<turtle-executions>`). Colour defaults follow the page's `color-scheme` via `light-dark()`.
 *
 * @example
 * ```ts
 * css`button { color: ${theme.accentColor}; }`; // color: var(--turtle-accent-color, light-dark(…))
 * ```
 */
export const theme = {
  /** Default: `system-ui, sans-serif`. */
  fontFamily: css`var(--turtle-font-family, system-ui, sans-serif)`,
  /** Default: `1rem`. */
  fontSize: css`var(--turtle-font-size, 1rem)`,
  /** Text. Default: `#1f2328` (light), `#f0f6fc` (dark). */
  color: css`var(--turtle-color, light-dark(#1f2328, #f0f6fc))`,
  /** Controls. Default: `#ffffff` (light), `#0d1117` (dark). */
  background: css`var(--turtle-background, light-dark(#ffffff, #0d1117))`,
  /** Secondary text. Default: `#59636e` (light), `#9198a1` (dark). */
  mutedColor: css`var(--turtle-muted-color, light-dark(#59636e, #9198a1))`,
  /** Buttons, table headers, the chosen row. Default: `#f6f8fa` (light), `#151b23` (dark). */
  mutedBackground: css`var(--turtle-muted-background, light-dark(#f6f8fa, #151b23))`,
  /** Default: `#d1d9e0` (light), `#3d444d` (dark). */
  borderColor: css`var(--turtle-border-color, light-dark(#d1d9e0, #3d444d))`,
  /** The run button, focus ring, progress. Default: `#0b5cad` (light), `#4493f8` (dark). */
  accentColor: css`var(--turtle-accent-color, light-dark(#0b5cad, #4493f8))`,
  /** Text on the accent colour. Default: `#ffffff` (light), `#0d1117` (dark). */
  accentTextColor: css`var(--turtle-accent-text-color, light-dark(#ffffff, #0d1117))`,
  /** Default: `#b3261e` (light), `#f85149` (dark). */
  errorColor: css`var(--turtle-error-color, light-dark(#b3261e, #f85149))`,
  /** Default: `#1a7f37` (light), `#3fb950` (dark). */
  successColor: css`var(--turtle-success-color, light-dark(#1a7f37, #3fb950))`,
  /** Default: `4px`. */
  radius: css`var(--turtle-radius, 4px)`,
  /** Default: `0.75rem`. */
  spacing: css`var(--turtle-spacing, 0.75rem)`,
} as const;

/** Default: a 2px solid ring in the accent colour. */
const focusRing = css`var(--turtle-focus-ring, 2px solid ${theme.accentColor})`;

/** Base styles every element includes: host box, buttons, status badges, focus ring. */
export const themeStyles = css`
  :host {
    display: block;
    font-family: ${theme.fontFamily};
    font-size: ${theme.fontSize};
    color: ${theme.color};
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: ${focusRing};
    outline-offset: 2px;
  }
  button {
    font: inherit;
    padding: 0.35em 0.9em;
    border-radius: ${theme.radius};
    border: 1px solid ${theme.borderColor};
    background: ${theme.mutedBackground};
    color: ${theme.color};
    cursor: pointer;
  }
  button.primary {
    background: ${theme.accentColor};
    border-color: ${theme.accentColor};
    color: ${theme.accentTextColor};
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  .error-text {
    color: ${theme.errorColor};
  }
  .muted {
    color: ${theme.mutedColor};
  }
  /* Its own background: the status colours are chosen against --turtle-background, and a chosen
     row or a header is --turtle-muted-background, which a page may set darker. */
  .status {
    background: ${theme.background};
    display: inline-block;
    padding: 0 0.5em;
    border-radius: 1em;
    font-size: 0.85em;
    border: 1px solid currentColor;
  }
  .status-done {
    color: ${theme.successColor};
  }
  .status-errored {
    color: ${theme.errorColor};
  }
  .status-cancelled {
    color: ${theme.mutedColor};
  }
  progress {
    width: 100%;
    accent-color: ${theme.accentColor};
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
