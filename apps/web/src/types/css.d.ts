// Side-effect CSS imports are bundled by Next; this lets `tsc` check the app without the
// generated next-env.d.ts present.
declare module '*.css';
