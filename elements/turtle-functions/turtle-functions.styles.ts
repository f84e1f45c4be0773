import { css } from 'lit';
import { themeStyles } from '../internal/theme-styles.js';

/** Styles of `<turtle-functions>`. */
export const turtleFunctionsStyles = [
  themeStyles,
  css`
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
      gap: var(--turtle-spacing, 0.75rem);
    }
    .function {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 0.25em 0.5em;
      width: 100%;
      height: 100%;
      text-align: left;
      font: inherit;
      color: inherit;
      background: var(--turtle-background, #ffffff);
      border: 1px solid var(--turtle-border-color, #d1d9e0);
      border-radius: var(--turtle-radius, 4px);
      padding: 0.6em 0.75em;
      cursor: pointer;
    }
    .function[aria-pressed='true'] {
      border-color: var(--turtle-accent-color, #0b5cad);
      background: var(--turtle-muted-background, #f6f8fa);
    }
    .title {
      font-weight: 600;
    }
    .name {
      grid-column: 1;
      font-size: 0.85em;
      color: var(--turtle-muted-color, #59636e);
    }
    .mode {
      grid-column: 2;
      grid-row: 1;
      align-self: start;
      font-size: 0.8em;
      padding: 0.1em 0.5em;
      border: 1px solid currentColor;
      border-radius: var(--turtle-radius, 4px);
      white-space: nowrap;
      color: var(--turtle-muted-color, #59636e);
    }
    .description {
      grid-column: 1 / -1;
      font-size: 0.9em;
      color: var(--turtle-muted-color, #59636e);
    }
    .chosen {
      margin-top: calc(2 * var(--turtle-spacing, 0.75rem));
    }
    .chosen h2 {
      margin: 0 0 0.25em;
      font-size: 1.2em;
    }
    .chosen h3 {
      margin: calc(1.5 * var(--turtle-spacing, 0.75rem)) 0 0.5em;
      font-size: 1em;
    }
  `,
];
