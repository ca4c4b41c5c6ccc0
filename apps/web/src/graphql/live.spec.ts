import { sessionSocketUrl, toWebSocketUrl } from './live';

describe('the live socket address', () => {
  it('turns the public api URL into its graphql-ws endpoint', () => {
    expect(toWebSocketUrl('https://api.example.com/')).toBe('wss://api.example.com/graphql');
    expect(toWebSocketUrl('http://localhost:4000')).toBe('ws://localhost:4000/graphql');
  });

  it('keeps an address on the page’s own host name, whatever the port', () => {
    expect(sessionSocketUrl('ws://localhost:4000/graphql', 'localhost')).toBe(
      'ws://localhost:4000/graphql',
    );
    expect(sessionSocketUrl('wss://tocsin.example.com/graphql', 'tocsin.example.com')).toBe(
      'wss://tocsin.example.com/graphql',
    );
  });

  it('follows the page between loopback names, where the session cookie lives', () => {
    expect(sessionSocketUrl('ws://localhost:4000/graphql', '127.0.0.1')).toBe(
      'ws://127.0.0.1:4000/graphql',
    );
    expect(sessionSocketUrl('ws://127.0.0.1:4000/graphql', 'localhost')).toBe(
      'ws://localhost:4000/graphql',
    );
    expect(sessionSocketUrl('ws://localhost:4000/graphql', '::1')).toBe('ws://[::1]:4000/graphql');
  });

  it('refuses another host name, which the cookie would not reach', () => {
    expect(sessionSocketUrl('wss://api.example.com/graphql', 'app.example.com')).toBeNull();
    expect(sessionSocketUrl('ws://localhost:4000/graphql', 'app.example.com')).toBeNull();
  });
});
