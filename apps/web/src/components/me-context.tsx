'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Me } from '../graphql/operations';

const MeContext = createContext<Me | null>(null);

/** The signed-in person and their current organization and role, loaded once by the layout. */
export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() is only available inside the signed-in app layout');
  return me;
}
