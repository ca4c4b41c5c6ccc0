import { OncallAnalyticsView } from './analytics-view';

export const metadata = { title: 'On-call analytics' };

export default function OncallAnalyticsPage() {
  return <OncallAnalyticsView />;
}
