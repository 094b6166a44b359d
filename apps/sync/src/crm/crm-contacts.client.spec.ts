import { parseCreationResults, parseErasureResults } from './crm-contacts.client.js';
import { RetryableCrmError } from './crm-request.js';

const A = '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11';
const B = '2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f';

describe('parseCreationResults', () => {
  it('takes one result per contact, in order, naming the contact unless suppressed', () => {
    const body = { results: [{ index: 0, outcome: 'created', contactId: A }, { index: 1, outcome: 'existing', contactId: B }, { index: 2, outcome: 'suppressed', contactId: null }] };
    expect(parseCreationResults(body, 3)).toEqual(body);
  });

  it('retries anything else rather than guess', () => {
    expect(() => parseCreationResults({ results: [{ index: 0, outcome: 'created', contactId: A }] }, 2)).toThrow(RetryableCrmError);
    expect(() => parseCreationResults({ results: [{ index: 0, outcome: 'created', contactId: null }] }, 1)).toThrow(RetryableCrmError);
    expect(() => parseCreationResults({ results: [{ index: 0, outcome: 'suppressed', contactId: A }] }, 1)).toThrow(RetryableCrmError);
  });
});

describe('parseErasureResults', () => {
  it('takes an erasure as done only when every requested contact is erased or absent', () => {
    const body = { results: [{ contactId: A, outcome: 'erased' }, { contactId: B, outcome: 'absent' }] };
    expect(parseErasureResults(body, [A, B.toUpperCase()])).toEqual(body);
    expect(() => parseErasureResults({ results: [{ contactId: A, outcome: 'erased' }] }, [A, B])).toThrow(RetryableCrmError);
    expect(() => parseErasureResults({ results: [{ contactId: A, outcome: 'failed' }] }, [A])).toThrow(RetryableCrmError);
  });
});
