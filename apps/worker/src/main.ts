import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@tocsin/config';
import { WorkerModule } from './worker.module';
import { applyWorkerNice } from './worker-priority';

export async function createWorkerApp() {
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: process.env.NODE_ENV === 'test' ? ['error', 'warn'] : ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  return app;
}

if (require.main === module) {
  const logger = new Logger('worker');
  applyWorkerNice(loadConfig().WORKER_NICE, (m) => logger.log(m));
  createWorkerApp()
    .then(() => logger.log('processing jobs'))
    .catch((err) => {
      // eslint-disable-next-line no-console
      console.error(err);
      process.exit(1);
    });
}
