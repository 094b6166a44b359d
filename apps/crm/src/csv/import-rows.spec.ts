import { describe, expect, it } from '@jest/globals';
import { parseCsv } from './csv-format.js';
import { checkCompanyRows, checkContactRows } from './import-rows.js';

describe('checkContactRows', () => {
  it('applies the API’s contact rules and reports every bad row with its column', () => {
    const { valid, errors } = checkContactRows(
      parseCsv('email,firstName,phone,lifecycleStage,companyDomain\nAna@Example.com,Ana,+44 20 7946 0958,customer,https://www.Acme.com/\nnot-an-email,Bo,,,\n,Cy,call me,vip,\n', 100),
    );
    expect(valid.map((entry) => entry.value)).toEqual([
      expect.objectContaining({ email: 'ana@example.com', firstName: 'Ana', phone: '+44 20 7946 0958', lifecycleStage: 'customer', companyDomain: 'acme.com' }),
    ]);
    expect(errors).toEqual([
      { row: 3, column: 'email', message: 'email must be an email address' },
      { row: 4, column: 'phone', message: expect.stringContaining('phone must be a phone number') },
      { row: 4, column: 'lifecycleStage', message: expect.stringContaining('lifecycleStage must be one of') },
      { row: 4, column: 'email', message: 'email is required' },
    ]);
  });

  it('refuses an email repeated in the file, whatever its case, naming the first row', () => {
    const { valid, errors } = checkContactRows(parseCsv('email\nana@example.com\nbo@example.com\nANA@example.com\n', 100));
    expect(valid).toHaveLength(2);
    expect(errors).toEqual([{ row: 4, column: 'email', message: 'email ana@example.com is already on row 2' }]);
  });

  it('refuses a header without email, or with columns it does not know', () => {
    expect(checkContactRows(parseCsv('firstName,enrichment\nAna,x\n', 100)).errors).toEqual([
      { row: 1, column: 'enrichment', message: expect.stringContaining('unknown column "enrichment"') },
      { row: 1, column: 'email', message: 'column "email" is required' },
    ]);
  });
});

describe('checkCompanyRows', () => {
  it('needs a name, normalises domains and refuses one repeated in the file', () => {
    const { valid, errors } = checkCompanyRows(parseCsv('name,domain,size\nAcme,ACME.com,51-200\n,globex.com,\nAcme Again,www.acme.com,\nBad,not a domain,\n', 100));
    expect(valid.map((entry) => entry.value)).toEqual([expect.objectContaining({ name: 'Acme', domain: 'acme.com', size: '51-200' })]);
    expect(errors).toEqual([
      { row: 3, column: 'name', message: 'name is required' },
      { row: 4, column: 'domain', message: 'domain acme.com is already on row 2' },
      { row: 5, column: 'domain', message: 'domain must be a domain name such as acme.com' },
    ]);
  });
});
