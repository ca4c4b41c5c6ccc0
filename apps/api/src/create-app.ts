import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { AppModule } from './app.module';
import { useApiBodyParsers } from './body-parsers';
import { HttpErrorFilter } from './http-error.filter';

/**
 * The api as a Nest application, not yet listening. Shutdown on signals is the caller's: the
 * served process drains requests first (see serve.ts); tests and scripts call close().
 */
export async function createApiApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    // Protocol routes (ingest) read raw bodies themselves; see useApiBodyParsers.
    bodyParser: false,
    logger: process.env.NODE_ENV === 'test' ? ['error', 'warn'] : ['error', 'warn', 'log'],
  });
  app.set('trust proxy', 'loopback');
  app.use(cookieParser());
  useApiBodyParsers(app);
  app.useGlobalFilters(new HttpErrorFilter());
  return app;
}
