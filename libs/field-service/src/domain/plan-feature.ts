import type { PlanFeatureSwitch } from '@switchboard/platform';

/**
 * Field service on the tenant's plan: new jobs, visits and catalog services need it. Existing work
 * can still be read, completed and closed out after a downgrade, so a technician on site is never
 * stopped halfway.
 */
export const FIELD_SERVICE: PlanFeatureSwitch = { key: 'field_service', label: 'Field service', plural: false };
