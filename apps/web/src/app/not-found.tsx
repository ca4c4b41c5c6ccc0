import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="centered">
      <div className="card narrow">
        <h1>Page not found</h1>
        <p className="muted">The address may be mistyped, or the page may have moved.</p>
        <p>
          <Link href="/" className="button">
            Go to Home
          </Link>
        </p>
      </div>
    </main>
  );
}
