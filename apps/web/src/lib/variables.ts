/** Replaces $name and ${name} with the chosen values; unknown names are left for PromQL to refuse. */
export function applyVariables(query: string, values: Record<string, string>): string {
  return query.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (whole, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    },
  );
}
