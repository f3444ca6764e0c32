import { createLivePlatformClient } from 'live-platform-openapi';

// token: an Entra ID access token, or a function returning one
const lp = createLivePlatformClient({
  baseUrl: process.env.LIVE_PLATFORM_BASE_URL!,
  token: process.env.LIVE_PLATFORM_TOKEN!,
});

const { data: customer, error } = await lp.POST(
  '/api/v2/customer',
  {
    body: {
      shortName: 'BradSB1E1',
      fullName: 'BradSB1E1',
      siteLocation: {
        sbcId: 5,
        sbcOnboardingScript: 7,
        sbcCleanupScript: 700,
      },
      ovocCustomerType: 'IPGROUP_TYPE',
      msTenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
    },
  },
);
if (error) {
  // 400: the short name breaks a rule (error.errors says which);
  // 409: the short name is taken for this Microsoft tenant.
  throw new Error(`Create: ${error.status} ${error.title}`);
}

// Synchronous: the customer is created and deployed on return.
console.log(
  `Created customer ${customer.id} (${customer.customerId})`,
);
