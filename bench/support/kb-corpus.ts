/**
 * Deterministic help-center prose for the knowledge-base benchmark: articles about products,
 * tasks and problems, written from templates over a help-desk vocabulary, so that full text and
 * word vectors see realistic English (not random tokens, which neither would ever meet).
 */

const PRODUCTS = ['boiler', 'heat pump', 'thermostat', 'radiator', 'water heater', 'air conditioner', 'smart meter', 'solar inverter', 'router', 'security camera', 'door lock', 'smoke alarm', 'dishwasher', 'washing machine', 'invoice', 'subscription', 'account', 'mobile app', 'customer portal', 'maintenance plan'];
const TASKS = ['install', 'reset', 'update', 'replace', 'clean', 'configure', 'pair', 'restart', 'cancel', 'renew', 'download', 'register', 'inspect', 'repair', 'calibrate'];
const PROBLEMS = ['makes a knocking noise', 'shows error code E{n}', 'does not turn on', 'loses pressure', 'keeps disconnecting', 'leaks water', 'charges the wrong amount', 'will not accept my password', 'stopped sending notifications', 'is slower than usual', 'displays a blinking red light', 'overheats after an hour', 'cannot find the network', 'shows the wrong temperature'];
const PARTS = ['valve', 'filter', 'pressure gauge', 'power supply', 'control board', 'sensor', 'battery', 'display', 'fan', 'pump', 'firmware', 'billing address', 'payment card', 'two-factor code'];
const ADVICE = [
  'Switch the {product} off at the mains and wait thirty seconds before turning it back on.',
  'Check that the {part} is seated correctly and free of dust or limescale.',
  'Open the settings menu, choose {task_ing} and follow the prompts on the screen.',
  'If the {part} is damaged, book a technician visit rather than attempting a repair yourself.',
  'Write down the error code shown on the display; our agents will ask for it.',
  'Most {product} problems disappear after a firmware update, which takes about ten minutes.',
  'Keep the receipt or invoice number ready, because warranty claims need it.',
  'Do not use abrasive cleaners on the {part}; a damp cloth is enough.',
  'The {product} stores its settings, so a restart does not erase your schedule.',
  'Contact support if the {product} still {problem} after these steps.',
  'A yearly service keeps the {product} efficient and the manufacturer warranty valid.',
  'You can also {task} the {product} from the mobile app under Devices.',
  'Our technicians carry common spare parts such as the {part}, so most repairs finish in one visit.',
  'Billing changes take effect from the next invoice; earlier invoices stay as they were.',
];
const MORE_ADVICE = [
  'This applies to {model} units made after {year}; older ones use a separate {part}.',
  'Expect the {task_ing} to take about {minutes} minutes, and keep children and pets away meanwhile.',
  'A replacement {part} for the {model} costs around {price} including fitting.',
  'If the display of the {model} shows code {code}, note it before you call us.',
  'Customers in {city} can book same-day visits for the {product} between 8 and 12.',
  'Since the {year} update, the {product} reports its status to the customer portal every {minutes} minutes.',
  'Our {city} team replaced {count} {part} parts last winter, mostly on {model} units.',
  'Log in to the portal, open {product} settings and look for the {part} section.',
];
const BRANDS = ['Vaillant', 'Worcester', 'Baxi', 'Ideal', 'Daikin', 'Mitsubishi', 'Nest', 'Hive', 'Bosch', 'Siemens', 'Netgear', 'Ring', 'Yale', 'Kidde', 'SolarEdge', 'Fronius'];
const CITIES = ['Leeds', 'Bristol', 'Glasgow', 'Cardiff', 'Norwich', 'York', 'Brighton', 'Derby', 'Exeter', 'Hull'];

const HEADINGS = ['Before you start', 'Step by step', 'Troubleshooting', 'When to call us', 'Safety notes', 'Frequently asked questions', 'What this costs', 'Related settings'];

/** A small seeded PRNG (mulberry32): the same corpus on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ing = (verb: string) => (verb.endsWith('e') ? `${verb.slice(0, -1)}ing` : `${verb}ing`);

export interface CorpusArticle {
  title: string;
  tags: string[];
  chunks: { heading: string; content: string }[];
}

export function makeArticle(random: () => number, chunkCount: number): CorpusArticle {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const product = pick(PRODUCTS);
  const task = pick(TASKS);
  const problem = pick(PROBLEMS).replace('{n}', String(10 + Math.floor(random() * 90)));

  const model = `${pick(BRANDS)} ${String.fromCharCode(65 + Math.floor(random() * 26))}${100 + Math.floor(random() * 9900)}`;
  const fill = (s: string) =>
    s
      .replaceAll('{product}', product)
      .replaceAll('{part}', pick(PARTS))
      .replaceAll('{task_ing}', ing(task))
      .replaceAll('{task}', task)
      .replaceAll('{problem}', problem)
      .replaceAll('{model}', model)
      .replaceAll('{year}', String(2012 + Math.floor(random() * 14)))
      .replaceAll('{minutes}', String(5 + Math.floor(random() * 85)))
      .replaceAll('{price}', `£${20 + Math.floor(random() * 480)}`)
      .replaceAll('{code}', `${String.fromCharCode(65 + Math.floor(random() * 26))}${Math.floor(random() * 999)}`)
      .replaceAll('{city}', pick(CITIES))
      .replaceAll('{count}', String(2 + Math.floor(random() * 300)));
  const sentences = [...ADVICE, ...MORE_ADVICE];
  const title = random() < 0.5 ? `How to ${task} your ${model} ${product}` : `My ${product} ${problem}`;
  const chunks = Array.from({ length: chunkCount }, () => ({
    heading: pick(HEADINGS),
    content: Array.from({ length: 4 + Math.floor(random() * 4) }, () => fill(pick(sentences))).join(' '),
  }));
  return { title, tags: [product.replace(/ /g, '-'), task], chunks };
}

/** A question a customer might type, in the same vocabulary. */
export function makeQuestion(random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const forms = [
    () => `how do I ${pick(TASKS)} the ${pick(PRODUCTS)}`,
    () => `${pick(PRODUCTS)} ${pick(PROBLEMS).replace('{n}', String(10 + Math.floor(random() * 90)))}`,
    () => `${pick(PARTS)} of my ${pick(PRODUCTS)} is broken`,
    () => `${pick(TASKS)} ${pick(PARTS)}`,
  ];
  return pick(forms)();
}
