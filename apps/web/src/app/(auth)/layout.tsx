import Link from 'next/link';
import type { ReactNode } from 'react';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="centered">
      <div className="auth">
        <Link href="/" className="brand brand-large">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{' '}
          Tocsin
        </Link>
        <div className="card">{children}</div>
      </div>
    </main>
  );
}
