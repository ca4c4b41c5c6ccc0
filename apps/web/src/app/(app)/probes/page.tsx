import { ProbesView } from './probes-view';

export const metadata = { title: 'Probes' };

export default function ProbesPage() {
  return <ProbesView />;
}
