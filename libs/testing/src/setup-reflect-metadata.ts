// Nest and TypeORM decorators read design-time types through reflect-metadata,
// which a service's main.ts loads first; tests start without main.ts.
import 'reflect-metadata';
