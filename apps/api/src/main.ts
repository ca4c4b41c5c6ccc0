import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { loadConfig } from '@tocsin/config';
import { AppModule } from './app.module';
import { useApiBodyParsers } from './body-parsers';
import { HttpErrorFilter } from './http-error.filter';

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
  app.enableShutdownHooks();
  return app;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp();
  await app.listen(config.API_PORT, config.API_HOST);
  new Logger('api').log(`GraphQL on http://localhost:${config.API_PORT}/graphql`);
}

if (require.main === module) {
  main().catch((err) => {
    // eslint-disable-next-line no-console
    console.error(err);
    process.exit(1);
  });
}
