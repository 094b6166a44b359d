import { describe, expect, it } from '@jest/globals';
import { ContactChangedV1, contactChangedV1 } from './crm-contact-changes/contact-changed.v1.js';
import { ContractViolationError } from './contract-violation.error.js';
import { parseContractValue, serializeContractValue } from './message-contract.js';
import { ALL_TOPICS, prefixedTopic, TOPICS } from './topics/topic-definition.js';

const validChange = {
  schemaVersion: 1,
  changeId: '6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
  changeType: 'updated',
  contactId: '0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c',
  version: 3,
  occurredAt: '2026-11-23T10:00:00.000Z',
  email: 'jane@example.com',
};

describe('message contracts', () => {
  it('accepts a value that satisfies the contract and keys it by contact', () => {
    const value = parseContractValue(contactChangedV1, validChange);
    expect(value.email).toBe('jane@example.com');
    expect(contactChangedV1.keyOf(value)).toBe(validChange.contactId);
  });

  it.each([
    [{ ...validChange, version: 0 }, 'version: version must not be less than 1'],
    [{ ...validChange, changeType: 'exploded' }, 'changeType: changeType must be one of the following values: created, updated, merged, deleted'],
    [{ ...validChange, occurredAt: 'yesterday' }, 'occurredAt: occurredAt must be a valid ISO 8601 date string'],
    [{ ...validChange, schemaVersion: 2 }, 'schemaVersion: schemaVersion must be one of the following values: 1'],
    [{ ...validChange, changeType: 'merged' }, 'mergedIntoContactId: mergedIntoContactId must be a UUID'],
    [{ ...validChange, properties: { page: '/cart' } }, 'properties: property properties should not exist'],
  ])('refuses %j naming the broken rule', (plain, violation) => {
    expect(() => parseContractValue(contactChangedV1, plain)).toThrow(ContractViolationError);
    try {
      parseContractValue(contactChangedV1, plain);
    } catch (error) {
      expect((error as ContractViolationError).violations).toContain(violation);
    }
  });

  it.each([null, 'a string', [validChange]])('refuses a value that is not a JSON object: %j', (plain) => {
    expect(() => parseContractValue(contactChangedV1, plain)).toThrow('crm.contact-changed v1 is invalid: value: must be a JSON object');
  });

  it('serialises only values that pass validation', () => {
    const value = parseContractValue(contactChangedV1, validChange);
    expect(JSON.parse(serializeContractValue(contactChangedV1, value))).toEqual(validChange);
    const built = Object.assign(new ContactChangedV1(), { ...validChange, version: -1 });
    expect(() => serializeContractValue(contactChangedV1, built)).toThrow(ContractViolationError);
  });

  it('hands out parsed values frozen, so what was validated is what gets sent', () => {
    const value = parseContractValue(contactChangedV1, validChange);
    expect(() => Object.assign(value, { version: -1 })).toThrow(TypeError);
  });
});

describe('topic catalogue', () => {
  it('versions every topic name and gives each an explicit partition count', () => {
    for (const topic of ALL_TOPICS) {
      expect(topic.name).toMatch(/^(cdp|crm|sync)\.[a-z-]+\.v\d+$/);
      expect(topic.partitions).toBeGreaterThan(0);
    }
  });

  it('compacts the latest-state insights topic and not the change streams', () => {
    expect(TOPICS.cdpProfileInsights.config['cleanup.policy']).toBe('compact');
    expect(TOPICS.crmContactChanges.config['cleanup.policy']).toBe('delete');
  });

  it('prefixes a topic name for an isolated test run, leaving the definition intact', () => {
    expect(prefixedTopic(TOPICS.crmContactChanges, 't.abc.').name).toBe('t.abc.crm.contact-changes.v1');
    expect(prefixedTopic(TOPICS.crmContactChanges, '')).toBe(TOPICS.crmContactChanges);
  });
});
