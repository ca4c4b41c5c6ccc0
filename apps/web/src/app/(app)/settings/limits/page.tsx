import { LimitsView } from './limits-view';

export const metadata = { title: 'Limits and usage' };

export default function LimitsPage() {
  return <LimitsView />;
}
