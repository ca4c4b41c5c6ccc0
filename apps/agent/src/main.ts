import { Agent } from './agent';
import { loadAgentConfig } from './agent-config';

/** tocsin-agent [--config /etc/tocsin-agent.yaml] */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: tocsin-agent [--config FILE]\nEnvironment: TOCSIN_AGENT_URL, TOCSIN_AGENT_TOKEN, TOCSIN_AGENT_INTERVAL_SECONDS, TOCSIN_AGENT_BUFFER_DIR, …\n');
    return;
  }
  const i = args.indexOf('--config');
  const file = i >= 0 ? args[i + 1] : process.env.TOCSIN_AGENT_CONFIG;
  let config;
  try {
    config = loadAgentConfig(file);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const agent = new Agent(config);
  agent.start();
  process.stderr.write(`tocsin-agent: pushing to ${config.url} every ${config.intervalSeconds}s (buffer ${config.bufferDir}, ${agent.backlog.length} batches pending)\n`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void agent.stop().then(() => process.exit(0));
    });
  }
}

void main();
