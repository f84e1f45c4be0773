/**
 * Defines a custom element once. A page may load the served bundle and an app's own copy of the
 * elements; defining a tag twice would throw, so the first definition wins.
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
