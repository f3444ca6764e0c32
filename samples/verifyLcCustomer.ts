import { createLivePlatformClient } from 'live-platform-openapi';

// token: an Entra ID access token, or a function returning one
const lp = createLivePlatformClient({
  baseUrl: process.env.LIVE_PLATFORM_BASE_URL!,
  token: process.env.LIVE_PLATFORM_TOKEN!,
});

// A read despite PUT: no body, nothing changes, safe to retry.
const { data: ovocCustomer, error } = await lp.PUT(
  '/api/ovoc/v1/topology/customers/{id}',
  { params: { path: { id: 85844 } } },
);
if (error) {
  throw new Error(`OVOC lookup: ${error.status} ${error.title}`);
}

console.log(
  `OVOC customer ${ovocCustomer.id}: ${ovocCustomer.name}`,
);
