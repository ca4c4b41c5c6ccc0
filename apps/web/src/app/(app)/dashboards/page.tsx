import { DashboardsView } from './dashboards-view';

export const metadata = { title: 'Dashboards' };

export default function DashboardsPage() {
  return <DashboardsView />;
}
