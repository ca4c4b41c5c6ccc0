import { applyVariables } from './variables';

describe('applyVariables', () => {
  it('substitutes $name and ${name}, leaving unknown ones', () => {
    expect(
      applyVariables('up{job="$job", i="${instance}x"} + $other', { job: 'api', instance: 'h1' }),
    ).toBe('up{job="api", i="h1x"} + $other');
  });
});
