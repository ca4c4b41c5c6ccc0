import type { NextConfig } from 'next';
import { join } from 'node:path';

// The browser only ever talks to this origin. The /graphql proxy to the api is in src/proxy.ts,
// not in `rewrites()`: rewrites are frozen into the build, and API_INTERNAL_URL must stay a
// run-time setting (one build, any deployment).
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // node_modules live at the repository root, two levels up.
  outputFileTracingRoot: join(__dirname, '..', '..'),
  turbopack: { root: join(__dirname, '..', '..') },
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
