import { Suspense } from 'react';
import { DashboardView } from './dashboard-view';

export const metadata = { title: 'Dashboard' };

export default async function DashboardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // useSearchParams needs a Suspense boundary in Next 16.
  return (
    <Suspense>
      <DashboardView id={id} />
    </Suspense>
  );
}
