import { describe, expect, it } from '@jest/globals';
import specs from '@asyncapi/specs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ALL_CONTRACTS } from '../contract-registry.js';
import { contractLabel } from '../message-contract.js';
import { ALL_TOPICS, TOPICS } from '../topics/topic-definition.js';
import { contractAsyncApiDocument } from './asyncapi.js';
import { contractFileStem } from './contract-json-schema.js';
import { GENERATED_DIR, REGENERATE_COMMAND, renderContractDocs, staleContractDocs } from './generated-docs.js';

const libRoot = fileURLToPath(new URL('../../', import.meta.url));
const rendered = renderContractDocs();

interface Channel {
  address: string;
  description: string;
  messages: Record<string, { $ref: string }>;
  bindings: { kafka: { partitions: number; topicConfiguration: Record<string, unknown> } };
}
interface Message {
  name: string;
  headers?: { properties?: Record<string, { const: string }>; required?: string[] };
  payload: { $ref?: string; type?: string };
  bindings?: { kafka: { key: { description: string } } };
}
const document = contractAsyncApiDocument() as { channels: Record<string, Channel>; components: { messages: Record<string, Message>; schemas: Record<string, unknown> } };

describe('generated contract docs', () => {
  it('are committed as generated from the contracts', () => {
    const stale = staleContractDocs(libRoot, rendered);
    if (stale.length > 0) throw new Error(`generated contract docs are stale: run ${REGENERATE_COMMAND}\n${stale.join('\n')}`);
  });

  it('write one JSON Schema per contract and the AsyncAPI document, nothing else', () => {
    expect([...rendered.keys()].sort()).toEqual(
      [...ALL_CONTRACTS.map((contract) => `${GENERATED_DIR}/json-schema/${contractFileStem(contract)}.schema.json`), `${GENERATED_DIR}/asyncapi.yaml`].sort(),
    );
  });

  it('write JSON Schemas that a draft-07 validator compiles, with every reference resolved', () => {
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats.default(ajv);
    for (const [file, content] of rendered) if (file.endsWith('.json')) expect(() => ajv.compile(JSON.parse(content) as object)).not.toThrow();
  });

  it('write an AsyncAPI document that is valid AsyncAPI 3.0.0', () => {
    // The specification's schema embeds its own copy of the draft-07 meta-schema.
    const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false });
    addFormats.default(ajv);
    const validate = ajv.compile(specs.schemas['3.0.0']);
    const written = parse(rendered.get(`${GENERATED_DIR}/asyncapi.yaml`) ?? '') as unknown;
    expect(written).toEqual(document);
    expect(validate(written) ? [] : validate.errors).toEqual([]);
    const broken = structuredClone(document);
    (broken.channels['cdpRawEvents'] as unknown as { bindings: unknown }).bindings = { kafka: { partitions: 0 } };
    expect(validate(broken)).toBe(false);
  });

  it('list every topic of the catalogue with its partitions, configs and description', () => {
    expect(Object.keys(document.channels)).toEqual(Object.keys(TOPICS));
    for (const topic of ALL_TOPICS) {
      const channel = Object.values(document.channels).find((candidate) => candidate.address === topic.name);
      expect(channel?.description).toBe(topic.description);
      expect(channel?.bindings.kafka.partitions).toBe(topic.partitions);
      expect(channel?.bindings.kafka.topicConfiguration['cleanup.policy']).toEqual([topic.config['cleanup.policy']]);
    }
  });

  it('give each contract message its headers, key and payload schema', () => {
    for (const contract of ALL_CONTRACTS) {
      const message = document.components.messages[contractFileStem(contract)];
      expect(message?.headers?.properties).toEqual({
        'content-type': { type: 'string', const: 'application/json' },
        contract: { type: 'string', const: contractLabel(contract) },
        'schema-version': { type: 'string', const: String(contract.schemaVersion) },
      });
      expect(message?.headers?.required).toEqual(['content-type', 'contract', 'schema-version']);
      expect(message?.bindings?.kafka.key.description).toBe(contract.key.description);
      expect(message?.payload).toEqual({ $ref: `#/components/schemas/${contract.valueClass.name}` });
      expect(document.components.schemas[contract.valueClass.name]).toBeDefined();
    }
  });

  it('document the tombstone of the compacted insights topic', () => {
    const references = Object.values(document.channels['cdpProfileInsights']?.messages ?? {}).map((reference) => reference.$ref);
    expect(references).toEqual(['#/components/messages/cdp.profile-insights.v1', '#/components/messages/cdp.profile-insights.v1.tombstone']);
    expect(document.components.messages['cdp.profile-insights.v1.tombstone']).toMatchObject({ name: 'tombstone', payload: { type: 'null' } });
  });

  it('document a topic without a contract from its description', () => {
    const references = Object.values(document.channels['syncDeadLetters']?.messages ?? {}).map((reference) => reference.$ref);
    expect(references).toEqual(['#/components/messages/sync.dead-letters.v1.message']);
    expect(document.components.messages['sync.dead-letters.v1.message']?.name).toBe('sync.dead-letters.v1 message');
  });

  it('refuse a contract whose topic is not in the catalogue', () => {
    const [contract] = ALL_CONTRACTS;
    if (!contract) throw new Error('no contracts');
    const stray = { ...contract, topic: { ...contract.topic, name: 'cdp.stray.v1' } };
    expect(() => contractAsyncApiDocument(TOPICS, [stray])).toThrow('is on cdp.stray.v1, which is not in the catalogue');
  });
});
