import { z } from 'zod';
import { jsonPathGet } from './json-path';

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const httpCheckConfigSchema = z.object({
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .refine((h) => Object.keys(h).every((k) => headerName.test(k)), 'header names must be tokens'),
  body: z.string().max(64 * 1024).optional(),
  /** Accepted statuses; default any 2xx. */
  expectedStatus: z.array(z.number().int().min(100).max(599)).max(50).optional(),
  keyword: z.string().min(1).max(1000).optional(),
  /** true: the keyword must NOT appear. */
  keywordInvert: z.boolean().default(false),
  jsonPath: z
    .string()
    .max(500)
    .optional()
    .refine((p) => {
      if (p === undefined) return true;
      try {
        jsonPathGet({}, p);
        return true;
      } catch {
        return false;
      }
    }, 'jsonPath is not a valid path like $.status or $.items[0].ok'),
  /** Compared with the value at jsonPath as a string; without it the value must exist and be truthy. */
  jsonPathEquals: z.string().max(1000).optional(),
  followRedirects: z.boolean().default(true),
  /** blackbox's insecure_skip_verify: probe a self-signed endpoint and still read its certificate. */
  tlsInsecureSkipVerify: z.boolean().default(false),
});
export type HttpCheckConfig = z.output<typeof httpCheckConfigSchema>;

export const dnsCheckConfigSchema = z.object({
  recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS']).default('A'),
  /** ip[:port] of the DNS server to ask; default the system's resolver. */
  server: z.string().max(100).optional(),
  /** Every listed value must be among the answers (MX as "priority exchange", TXT joined). */
  expect: z.array(z.string().max(500)).max(20).default([]),
});
export type DnsCheckConfig = z.output<typeof dnsCheckConfigSchema>;

export const tcpCheckConfigSchema = z.object({}).strict();
