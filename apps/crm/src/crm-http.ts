import type { ServiceHttpOptions } from '@cds/service-kit';
import { serveCrmOpenApi } from './docs/crm-openapi.js';

/**
 * The CRM's HTTP set-up, the same in main.ts and in the tests: a full enrichment
 * batch (500 updates of ~400 bytes) is well over body-parser's 100 kB default,
 * and the OpenAPI document is served at /docs.
 */
export const CRM_HTTP: ServiceHttpOptions = { jsonBodyLimit: '2mb', configureApp: serveCrmOpenApi };
