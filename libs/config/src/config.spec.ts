import { ConfigError, apiProcessCount, loadConfig } from './config';

const base = { DATABASE_URL: 'postgresql://u@h/db', REDIS_URL: 'redis://h:6379' };

describe('API_PROCESSES', () => {
  it('defaults to one process', () => {
    expect(apiProcessCount(loadConfig({ ...base }))).toBe(1);
  });

  it('takes a count, or one per core for auto', () => {
    expect(apiProcessCount(loadConfig({ ...base, API_PROCESSES: '3' }))).toBe(3);
    expect(apiProcessCount(loadConfig({ ...base, API_PROCESSES: 'auto' }), 6)).toBe(6);
    expect(apiProcessCount(loadConfig({ ...base, API_PROCESSES: 'auto' }), 0)).toBe(1);
  });

  it.each(['0', '-1', '1.5', 'two', 'AUTO'])('refuses %p, naming the variable', (value) => {
    expect(() => loadConfig({ ...base, API_PROCESSES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, API_PROCESSES: value })).toThrow(/API_PROCESSES/);
  });
});
