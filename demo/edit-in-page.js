/* global document, CSS */
/**
 * "Edit and run again" in the history fills this page's own form of that function, when the page has
 * one, instead of the form the execution's detail opens by default (see `<turtle-execution>`).
 */
document.addEventListener('turtle-edit-request', (event) => {
  const form = document.querySelector(`turtle-form[fn="${CSS.escape(event.detail.function)}"]`);
  if (!form) return;
  event.preventDefault();
  form.setAttribute('from-execution', event.detail.executionId);
  form.scrollIntoView({ block: 'start' });
});
