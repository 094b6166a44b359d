import type { ServiceHttpOptions } from '@cds/service-kit';

/** A Segment batch may be up to 500 KB (its documented limit); body-parser refuses more with a 413. */
export const CDP_HTTP: ServiceHttpOptions = { jsonBodyLimit: '500kb' };
