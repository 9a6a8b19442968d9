// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseReceiverConfig, ReceiverConfigError } from '../../server/config';

describe('parseReceiverConfig', () => {
  it('has loopback defaults', () => {
    expect(parseReceiverConfig([], {})).toEqual({
      config: {
        port: 8787,
        host: '127.0.0.1',
        db: '.tmp/receiver.sqlite',
        maxBodyBytes: 1024 * 1024,
        testControl: false,
        allowRemote: false,
      },
      warnings: [],
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = { LOUPE_RECEIVER_PORT: '9000', LOUPE_RECEIVER_DB: ':memory:', LOUPE_RECEIVER_TOKEN: 'env-token' };
    expect(parseReceiverConfig([], env).config).toMatchObject({ port: 9000, db: ':memory:', token: 'env-token' });
    expect(parseReceiverConfig(['--port', '9100', '--db', 'x.sqlite', '--max-body', '2048'], env).config).toMatchObject({
      port: 9100,
      db: 'x.sqlite',
      maxBodyBytes: 2048,
    });
  });

  it('turns test control on by flag or env, with a warning', () => {
    expect(parseReceiverConfig(['--test-control'], {}).config.testControl).toBe(true);
    const fromEnv = parseReceiverConfig([], { LOUPE_RECEIVER_TEST_CONTROL: '1' });
    expect(fromEnv.config.testControl).toBe(true);
    expect(fromEnv.warnings.join()).toMatch(/test control/);
  });

  it.each([
    [['--host', '0.0.0.0'], {}],
    [['--host', '192.168.1.4'], { LOUPE_RECEIVER_ALLOW_REMOTE: 'yes' }],
    [['--port', 'http'], {}],
    [['--port', '70000'], {}],
    [['--max-body', '0'], {}],
    [['--token', ' '], {}],
    [['--verbose'], {}],
  ])('refuses %j with %j', (argv, env) => {
    expect(() => parseReceiverConfig(argv, env)).toThrow(ReceiverConfigError);
  });

  it('listens beyond loopback only with --host and LOUPE_RECEIVER_ALLOW_REMOTE=1, and warns', () => {
    const { config, warnings } = parseReceiverConfig(['--host', '0.0.0.0'], { LOUPE_RECEIVER_ALLOW_REMOTE: '1' });
    expect(config).toMatchObject({ host: '0.0.0.0', allowRemote: true });
    expect(warnings.join()).toMatch(/reachable from other machines.*no token/);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['127.0.0.256', false],
    ['localhost.evil.example', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
