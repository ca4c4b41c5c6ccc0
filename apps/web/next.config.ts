import type { NextConfig } from 'next';
import { join } from 'node:path';

// The browser only ever talks to the web origin: /graphql is proxied to the api so the api's
// httpOnly session cookie (tocsin_session) is first-party and no CORS is involved.
// Rewrites are resolved when the server starts from this file (next dev) or at build time
// (next build), so set API_INTERNAL_URL for the build that will be deployed.
const apiInternalUrl = (process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000').replace(
  /\/+$/,
  '',
);

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // node_modules live at the repository root, two levels up.
  outputFileTracingRoot: join(__dirname, '..', '..'),
  turbopack: { root: join(__dirname, '..', '..') },
  async rewrites() {
    return [{ source: '/graphql', destination: `${apiInternalUrl}/graphql` }];
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default nextConfig;
