import type { IHeaders } from 'kafkajs';

/** Headers that let a reader (or a data team's tool) tell what a message is without parsing it. */
export function contractHeaders(contract: string, schemaVersion: number): Record<string, string> {
  return { 'content-type': 'application/json', contract, 'schema-version': String(schemaVersion) };
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    decoded[name] = (Array.isArray(value) ? value : [value]).map((part) => part.toString()).join(',');
  }
  return decoded;
}
