import { Suspense } from 'react';
import { ExploreView } from './explore-view';

export const metadata = { title: 'Explore' };

export default function ExplorePage() {
  // useSearchParams needs a Suspense boundary in Next 16.
  return (
    <Suspense>
      <ExploreView />
    </Suspense>
  );
}
