/** Environment variables through which the global setup tells each test file where to go. */
export const SERVER_ENV = 'NADIPASS_TEST_SERVER_URL';
export const TEMPLATE_ENV = 'NADIPASS_TEST_TEMPLATE';

/** The same server URL pointing at another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;

  return url.toString();
}
