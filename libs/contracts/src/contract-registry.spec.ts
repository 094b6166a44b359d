import { describe, expect, it } from '@jest/globals';
import { ALL_CONTRACTS } from './contract-registry.js';
import { contractLabel, contractMessageHeaders } from './message-contract.js';
import { ALL_TOPICS, TOPICS } from './topics/topic-definition.js';

describe('contract registry', () => {
  it('names each contract once, on a topic of the catalogue, with its key documented', () => {
    expect(new Set(ALL_CONTRACTS.map(contractLabel)).size).toBe(ALL_CONTRACTS.length);
    expect(new Set(ALL_CONTRACTS.map((contract) => contract.valueClass.name)).size).toBe(ALL_CONTRACTS.length);
    for (const contract of ALL_CONTRACTS) {
      expect(ALL_TOPICS).toContain(contract.topic);
      expect(contract.key.description.length).toBeGreaterThan(0);
    }
  });

  it('leaves only the dead-letter topic without a contract', () => {
    const uncontracted = ALL_TOPICS.filter((topic) => !ALL_CONTRACTS.some((contract) => contract.topic === topic));
    expect(uncontracted).toEqual([TOPICS.syncDeadLetters]);
  });

  it('gives the headers a reader needs to tell a message apart without parsing it', () => {
    const [contract] = ALL_CONTRACTS;
    if (!contract) throw new Error('no contracts');
    expect(contractMessageHeaders(contract)).toEqual({ 'content-type': 'application/json', contract: contractLabel(contract), 'schema-version': '1' });
  });
});
