import { ApiError, request } from './client';
import { ME_QUERY } from './operations';

function respond(status: number, body: string): jest.SpyInstance {
  return jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(body, { status }));
}

describe('request', () => {
  afterEach(() => jest.restoreAllMocks());

  it('posts the operation as JSON to the same-origin proxy and returns data', async () => {
    const fetch = respond(200, JSON.stringify({ data: { me: { user: { id: 'u1' } } } }));
    const data = await request(ME_QUERY, {});
    expect(data.me.user.id).toBe('u1');
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/graphql');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(JSON.parse(String(init.body))).toEqual({ query: ME_QUERY.toString(), variables: {} });
  });

  it.each(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'RATE_LIMITED'])(
    'keeps the api’s %s code and message, and says what to do',
    async (code) => {
      respond(
        200,
        JSON.stringify({
          data: null,
          errors: [{ message: 'Nope', extensions: { code, field: 'email' } }],
        }),
      );
      const error = await request(ME_QUERY, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code, message: 'Nope', extensions: { code, field: 'email' } });
      expect((error as ApiError).nextStep.length).toBeGreaterThan(10);
    },
  );

  it('treats unknown codes as internal errors', async () => {
    respond(
      200,
      JSON.stringify({
        errors: [
          { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ],
      }),
    );
    await expect(request(ME_QUERY, {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('reports a proxy error page (api down) as unavailable rather than crashing on the HTML', async () => {
    respond(502, '<html>Bad gateway</html>');
    await expect(request(ME_QUERY, {})).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('502'),
    });
  });

  it('reports a network failure as unavailable', async () => {
    jest.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed'));
    await expect(request(ME_QUERY, {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('refuses a response without data or errors', async () => {
    respond(200, JSON.stringify({}));
    await expect(request(ME_QUERY, {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
