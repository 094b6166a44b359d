import { describe, expect, it } from '@jest/globals';
import { normalizeDomain } from './company-domain.js';

describe('normalizeDomain', () => {
  it('lower-cases and trims', () => {
    expect(normalizeDomain('  Acme.COM ')).toBe('acme.com');
  });

  it('drops scheme, www., port, path, query and a trailing dot', () => {
    expect(normalizeDomain('https://WWW.Acme.com:8443/about?x=1')).toBe('acme.com');
    expect(normalizeDomain('acme.com.')).toBe('acme.com');
  });

  it('keeps other subdomains, which may be different companies', () => {
    expect(normalizeDomain('shop.acme.com')).toBe('shop.acme.com');
  });
});
