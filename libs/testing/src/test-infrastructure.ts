/**
 * Where the real Postgres and Kafka of this test run are. The global set-up
 * starts them and publishes their addresses in these variables; setting them
 * beforehand points the suite at existing servers instead.
 */
export const TEST_POSTGRES_URL_VAR = 'CDS_TEST_POSTGRES_URL';
export const TEST_KAFKA_BROKERS_VAR = 'CDS_TEST_KAFKA_BROKERS';

export interface TestInfrastructure {
  /** A superuser URL on the maintenance database `postgres`. */
  readonly postgresUrl: string;
  readonly kafkaBrokers: string;
}

export function testInfrastructure(): TestInfrastructure {
  const postgresUrl = process.env[TEST_POSTGRES_URL_VAR];
  const kafkaBrokers = process.env[TEST_KAFKA_BROKERS_VAR];
  if (!postgresUrl || !kafkaBrokers) {
    throw new Error(
      `${TEST_POSTGRES_URL_VAR} and ${TEST_KAFKA_BROKERS_VAR} are not set: run integration tests through "npm test" (its global set-up starts Postgres and Kafka).`,
    );
  }
  return { postgresUrl, kafkaBrokers };
}
