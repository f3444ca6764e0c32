// What `live-platform check` says about flags that would do nothing, so a setup mistake is
// pointed out instead of silently taken (the run goes on: a warning, not an error).

export function checkFlagWarnings(
  values: { 'base-url'?: string; token?: string; 'allow-writes'?: boolean; 'lead-tenant'?: string },
  env: Record<string, string | undefined> = process.env,
): string[] {
  const warnings: string[] = [];
  const hasUrl = Boolean(values['base-url'] ?? env.LIVE_PLATFORM_BASE_URL);
  const leadTenant =
    values['lead-tenant'] !== undefined
      ? '--lead-tenant'
      : env.LIVE_PLATFORM_LEAD_TENANT
        ? 'LIVE_PLATFORM_LEAD_TENANT'
        : undefined;
  if (!hasUrl) {
    // The embedded servers bring their own tokens and always allow writes.
    if (values.token !== undefined)
      warnings.push(
        '--token is ignored without --base-url: the mock and sandbox the checker starts use their own tokens. Pass --base-url (or LIVE_PLATFORM_BASE_URL) to check your tenant.',
      );
    if (values['allow-writes'])
      warnings.push(
        '--allow-writes does nothing without --base-url: the servers the checker starts always accept writes.',
      );
    if (leadTenant)
      warnings.push(`${leadTenant} is ignored without --base-url: the sandbox brings its own lead.`);
  } else if (leadTenant && !values['allow-writes']) {
    warnings.push(
      `${leadTenant} does nothing without --allow-writes: converting a lead creates a customer. Add --allow-writes to run the lead workflow.`,
    );
  }
  return warnings;
}
