/** The CSRF token of the first form on a server-rendered page. */
export function csrfTokenOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) {
    throw new Error('no CSRF token on the page');
  }

  return match[1];
}

/** The value of a hidden or text input on a page. */
export function inputValue(html: string, name: string): string {
  const match = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (!match) {
    throw new Error(`no input ${name} on the page`);
  }

  return match[1];
}
