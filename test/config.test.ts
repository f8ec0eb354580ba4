import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('defaults to the embedded database, port 3000 and a localhost public URL', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.demoData).toBe(true);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: 'abc', PUBLIC_BASE_URL: 'ftp://x', DATABASE_URL: 'nonsense' });
      throw new Error('loadConfig accepted a broken environment');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/PUBLIC_BASE_URL/);
      expect(problems).toMatch(/DATABASE_URL/);
    }
  });

  it('requires a secret and a public URL in production, and turns demo data off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).toThrow(
      /PUBLIC_BASE_URL: required in production/,
    );
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      PUBLIC_BASE_URL: 'https://nadipass.ma',
    });
    expect(config.demoData).toBe(false);
    expect(config.publicBaseUrl).toBe('https://nadipass.ma');
  });

  it('puts the port it listens on in the local public URL, unless one is given', () => {
    expect(loadConfig({ PORT: '3100' }).publicBaseUrl).toBe('http://localhost:3100');
    const given = loadConfig({ PORT: '3100', PUBLIC_BASE_URL: 'http://10.0.0.5:3100' });
    expect(given.publicBaseUrl).toBe('http://10.0.0.5:3100');
  });

  it('drops a trailing slash from the public URL, which QR codes build on', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://carte.example.ma/' }).publicBaseUrl).toBe(
      'https://carte.example.ma',
    );
  });
});
