import { mapOf, rowsOf } from './key-values';

describe('key/value rows', () => {
  it('round-trips a map by name, leaving out the keys another field edits', () => {
    const rows = rowsOf({ team: 'db', summary: 's', severity: 'page' }, ['summary']);
    expect(rows).toEqual([
      { key: 'severity', value: 'page' },
      { key: 'team', value: 'db' },
    ]);
    expect(mapOf(rows, 'label')).toEqual({ team: 'db', severity: 'page' });
  });

  it('drops blank rows, trims names, keeps values as typed', () => {
    expect(
      mapOf(
        [
          { key: ' team ', value: ' db ' },
          { key: '', value: '  ' },
        ],
        'label',
      ),
    ).toEqual({
      team: ' db ',
    });
  });

  it('says what is wrong: a value without a name, a name twice', () => {
    expect(mapOf([{ key: '', value: 'x' }], 'label')).toBe(
      'A label needs a name (the value "x" has none).',
    );
    expect(
      mapOf(
        [
          { key: 'a', value: '1' },
          { key: 'a ', value: '2' },
        ],
        'annotation',
      ),
    ).toBe('The annotation "a" is set twice.');
  });
});
