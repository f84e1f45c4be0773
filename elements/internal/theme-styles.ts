import { css } from 'lit';

/**
 * The `--turtle-*` custom properties every element reads, with their defaults on `:host`, so a page
 * can theme all elements from one rule (`turtle-form { --turtle-accent-color: teal }`).
 */
export const themeStyles = css`
  :host {
    --turtle-font-family: system-ui, sans-serif;
    --turtle-font-size: 1rem;
    --turtle-color: #1f2328;
    --turtle-background: #ffffff;
    --turtle-muted-color: #59636e;
    --turtle-muted-background: #f6f8fa;
    --turtle-border-color: #d1d9e0;
    --turtle-accent-color: #0b5cad;
    --turtle-accent-text-color: #ffffff;
    --turtle-error-color: #b3261e;
    --turtle-success-color: #1a7f37;
    --turtle-radius: 4px;
    --turtle-spacing: 0.75rem;
    --turtle-focus-ring: 2px solid var(--turtle-accent-color);

    display: block;
    font-family: var(--turtle-font-family);
    font-size: var(--turtle-font-size);
    color: var(--turtle-color);
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
    outline: var(--turtle-focus-ring);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    padding: 0.35em 0.9em;
    border-radius: var(--turtle-radius);
    border: 1px solid var(--turtle-border-color);
    background: var(--turtle-muted-background);
    color: var(--turtle-color);
    cursor: pointer;
  }
  button.primary {
    background: var(--turtle-accent-color);
    border-color: var(--turtle-accent-color);
    color: var(--turtle-accent-text-color);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  .error-text {
    color: var(--turtle-error-color);
  }
  .muted {
    color: var(--turtle-muted-color);
  }
  .status {
    display: inline-block;
    padding: 0 0.5em;
    border-radius: 1em;
    font-size: 0.85em;
    border: 1px solid currentColor;
  }
  .status-done {
    color: var(--turtle-success-color);
  }
  .status-errored {
    color: var(--turtle-error-color);
  }
  .status-cancelled {
    color: var(--turtle-muted-color);
  }
  progress {
    width: 100%;
    accent-color: var(--turtle-accent-color);
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
