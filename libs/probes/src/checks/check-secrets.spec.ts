import { HEADER_MASK, maskedCheckConfig, openCheckHeaders, sealCheckHeaders } from './check-secrets';

describe('check header sealing', () => {
  const org = '00000000-0000-4000-8000-000000000001';
  it('stores headers sealed with names in clear, shows them masked, and keeps a value sent back masked', () => {
    const stored = sealCheckHeaders({ keyword: 'ok', headers: { authorization: 'Bearer abc', 'x-env': 'prod' } }, org);
    expect(JSON.stringify(stored)).not.toContain('Bearer abc');
    expect(stored.headerNames).toEqual(['authorization', 'x-env']);
    expect(openCheckHeaders(stored, org)).toEqual({ authorization: 'Bearer abc', 'x-env': 'prod' });
    expect(maskedCheckConfig(stored)).toEqual({ keyword: 'ok', headers: { authorization: HEADER_MASK, 'x-env': HEADER_MASK } });
    const updated = sealCheckHeaders({ keyword: 'ok', headers: { authorization: HEADER_MASK, 'x-env': 'staging' } }, org, stored);
    expect(openCheckHeaders(updated, org)).toEqual({ authorization: 'Bearer abc', 'x-env': 'staging' });
    // Another organization cannot open a copied value.
    expect(() => openCheckHeaders(stored, '00000000-0000-4000-8000-000000000002')).toThrow();
    expect(sealCheckHeaders({ keyword: 'ok', headers: {} }, org)).toEqual({ keyword: 'ok' });
  });
});
