/**
 * The form a company domain is stored and compared in: lower case, without
 * scheme, path, port or a leading "www.", so "https://WWW.Acme.com/about" and
 * "acme.com" are one company.
 */
export function normalizeDomain(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
}
